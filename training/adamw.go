package training

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/parallel"
)

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter 2019,
// "Decoupled Weight Decay Regularization"), as torch.optim.AdamW computes
// it, over float32 parameter slices. For parameter θ with gradient g at
// update t (from 1), learning rate η and weight decay λ:
//
//	θ ← θ − η·λ·θ                                  (decay, if the parameter decays)
//	m ← β1·m + (1−β1)·g
//	v ← β2·v + (1−β2)·g²
//	θ ← θ − η · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
//
// The moments are float32, so a checkpoint stores them exactly.
//
// An AdamW is not safe for concurrent use.
type AdamW struct {
	Beta1, Beta2, Eps, WeightDecay float64
	// Step counts the updates applied (t of the bias correction).
	Step int

	names  []string
	decay  []bool
	m, v   [][]float32
	byName map[string]int
}

// NewAdamW returns an optimizer for parameters of the given names and sizes.
// Parameters with decay[i] false (biases and LayerNorm) are not decayed.
func NewAdamW(names []string, sizes []int, decay []bool, beta1, beta2, eps, weightDecay float64) *AdamW {
	o := &AdamW{Beta1: beta1, Beta2: beta2, Eps: eps, WeightDecay: weightDecay,
		names: slices.Clone(names), decay: slices.Clone(decay), byName: map[string]int{}}
	for i, n := range names {
		o.m = append(o.m, make([]float32, sizes[i]))
		o.v = append(o.v, make([]float32, sizes[i]))
		o.byName[n] = i
	}
	return o
}

// Update applies one AdamW step with learning rate lr to params (aligned
// with the names given to NewAdamW), given their gradients: one pass over
// each element (decay, moments, update), blocks of elements on all CPUs.
// Each element's arithmetic is the same whatever the number of CPUs.
func (o *AdamW) Update(params, grads [][]float32, lr float64) {
	o.Step++
	t := float64(o.Step)
	bc1 := 1 - math.Pow(o.Beta1, t)
	bc2 := 1 - math.Pow(o.Beta2, t)
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	stepSize := float32(lr / bc1)
	sqrtBC2 := float32(math.Sqrt(bc2))
	eps := float32(o.Eps)
	f := float32(1 - lr*o.WeightDecay)
	forBlocks(blocks(params), func(_ int, b block) {
		p, g := params[b.i][b.lo:b.hi], grads[b.i][b.lo:b.hi]
		m, v := o.m[b.i][b.lo:b.hi], o.v[b.i][b.lo:b.hi]
		g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
		decay := o.decay[b.i] && o.WeightDecay != 0
		for j := range p {
			if decay {
				p[j] *= f
			}
			m[j] = b1*m[j] + (1-b1)*g[j]
			v[j] = b2*v[j] + (1-b2)*g[j]*g[j]
			den := float32(math.Sqrt(float64(v[j])))/sqrtBC2 + eps
			p[j] -= stepSize * m[j] / den
		}
	})
}

// A block is elements lo…hi−1 of slice i, the unit of work of the
// optimizer's passes over all parameters.
type block struct{ i, lo, hi int }

// blockSize is the length of a block: large enough to amortise a
// goroutine's scheduling, small enough to balance the CPUs.
const blockSize = 1 << 16

// blocks cuts the slices into blocks of at most blockSize elements, the
// same cut whatever the number of CPUs.
func blocks(xs [][]float32) []block {
	var bs []block
	for i, x := range xs {
		for lo := 0; lo < len(x); lo += blockSize {
			bs = append(bs, block{i, lo, min(lo+blockSize, len(x))})
		}
	}
	return bs
}

// forBlocks runs fn on every block of bs (k numbering the blocks in order)
// on up to GOMAXPROCS goroutines (parallel.For).
func forBlocks(bs []block, fn func(k int, b block)) {
	parallel.For(context.Background(), len(bs), 0, func(k int) { fn(k, bs[k]) })
}

// State returns the moments for a checkpoint, shaped like the parameters.
func (o *AdamW) State(shapes map[string][]int) *checkpoints.OptimizerState {
	st := &checkpoints.OptimizerState{Step: o.Step, ExpAvg: map[string]checkpoints.Tensor{}, ExpAvgSq: map[string]checkpoints.Tensor{}}
	for i, n := range o.names {
		st.ExpAvg[n] = checkpoints.Tensor{Shape: slices.Clone(shapes[n]), Data: slices.Clone(o.m[i])}
		st.ExpAvgSq[n] = checkpoints.Tensor{Shape: slices.Clone(shapes[n]), Data: slices.Clone(o.v[i])}
	}
	return st
}

// Restore sets the moments and the step from a checkpoint.
func (o *AdamW) Restore(st *checkpoints.OptimizerState) error {
	for i, n := range o.names {
		m, okM := st.ExpAvg[n]
		v, okV := st.ExpAvgSq[n]
		if !okM || !okV {
			return fmt.Errorf("training: optimizer state lacks the moments of %q", n)
		}
		if len(m.Data) != len(o.m[i]) || len(v.Data) != len(o.v[i]) {
			return fmt.Errorf("training: optimizer moments of %q have %d/%d values, want %d", n, len(m.Data), len(v.Data), len(o.m[i]))
		}
		copy(o.m[i], m.Data)
		copy(o.v[i], v.Data)
	}
	o.Step = st.Step
	return nil
}

// ClipGlobalNorm scales grads so that their joint L2 norm is at most
// maxNorm (as torch.nn.utils.clip_grad_norm_) and returns the norm before
// clipping. maxNorm ≤ 0 only measures.
func ClipGlobalNorm(grads [][]float32, maxNorm float64) float64 {
	// Squares summed per block, the block sums in block order: the same
	// result whatever the number of CPUs.
	bs := blocks(grads)
	sums := make([]float64, len(bs))
	forBlocks(bs, func(k int, b block) {
		var s float64
		for _, x := range grads[b.i][b.lo:b.hi] {
			s += float64(x) * float64(x)
		}
		sums[k] = s
	})
	var sum float64
	for _, s := range sums {
		sum += s
	}
	norm := math.Sqrt(sum)
	if maxNorm > 0 && norm > maxNorm {
		f := float32(maxNorm / (norm + 1e-6))
		forBlocks(bs, func(_ int, b block) {
			g := grads[b.i][b.lo:b.hi]
			for j := range g {
				g[j] *= f
			}
		})
	}
	return norm
}

// LinearSchedule returns the learning rate of update step (1-based): a
// linear ramp up to peak over the first warmup steps (peak·step/warmup),
// then a linear decay that reaches peak/(total−warmup) at the last step:
//
//	η(t) = η·t/W                   t ≤ W
//	η(t) = η·(T−t+1)/(T−W)         W < t ≤ T
func LinearSchedule(peak float64, warmup, total, step int) float64 {
	if step <= warmup && warmup > 0 {
		return peak * float64(step) / float64(warmup)
	}
	if total <= warmup {
		return peak
	}
	return peak * math.Max(0, float64(total-step+1)/float64(total-warmup))
}

// CosineSchedule returns the learning rate of update step (1-based): the
// same linear warm-up as LinearSchedule, then a half-cosine decay from peak
// towards 0 (Hugging Face's get_cosine_schedule_with_warmup, which
// sentence-transformers and PyLate train with), counted like LinearSchedule
// so that the first step after the warm-up uses the peak:
//
//	η(t) = η·t/W                                  t ≤ W
//	η(t) = η·½·(1 + cos(π·(t−W−1)/(T−W)))         W < t ≤ T
func CosineSchedule(peak float64, warmup, total, step int) float64 {
	if step <= warmup && warmup > 0 {
		return peak * float64(step) / float64(warmup)
	}
	if total <= warmup {
		return peak
	}
	progress := math.Min(1, float64(step-warmup-1)/float64(total-warmup))
	return peak * 0.5 * (1 + math.Cos(math.Pi*progress))
}

// ConstantSchedule returns peak after the linear warm-up of LinearSchedule
// (Hugging Face's get_constant_schedule_with_warmup).
func ConstantSchedule(peak float64, warmup, _, step int) float64 {
	if step <= warmup && warmup > 0 {
		return peak * float64(step) / float64(warmup)
	}
	return peak
}

// LRSchedules names the values Config.LRSchedule accepts ("" means linear).
var LRSchedules = []string{"linear", "cosine", "constant"}
