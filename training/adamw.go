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

	names []string
	decay []bool
	m, v  [][]float32
}

// NewAdamW returns an optimizer for parameters of the given names and sizes.
// Parameters with decay[i] false (biases and LayerNorm) are not decayed.
func NewAdamW(names []string, sizes []int, decay []bool, beta1, beta2, eps, weightDecay float64) *AdamW {
	o := &AdamW{Beta1: beta1, Beta2: beta2, Eps: eps, WeightDecay: weightDecay,
		names: slices.Clone(names), decay: slices.Clone(decay)}
	for i := range names {
		o.m = append(o.m, make([]float32, sizes[i]))
		o.v = append(o.v, make([]float32, sizes[i]))
	}
	return o
}

// Update applies one AdamW step with learning rate lr to params (aligned
// with the names given to NewAdamW), given their gradients multiplied by
// gradScale (ClipScale's factor; 1 takes them as they are): one pass over
// each element (decay, scaled gradient, moments, update), blocks of
// elements on all CPUs. grads are only read. Each element's arithmetic is
// the same whatever the number of CPUs, and the same as scaling the
// gradients in place first (g·s rounds to float32 either way).
func (o *AdamW) Update(params, grads [][]float32, lr float64, gradScale float32) {
	o.Step++
	t := float64(o.Step)
	bc1 := 1 - math.Pow(o.Beta1, t)
	bc2 := 1 - math.Pow(o.Beta2, t)
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	k := adamwStep{b1: b1, c1: 1 - b1, b2: b2, c2: 1 - b2, stepSize: float32(lr / bc1),
		sqrtBC2: float32(math.Sqrt(bc2)), eps: float32(o.Eps), decay: float32(1 - lr*o.WeightDecay), scale: gradScale}
	forBlocks(blocks(params), func(_ int, b block) {
		p, g := params[b.i][b.lo:b.hi], grads[b.i][b.lo:b.hi]
		m, v := o.m[b.i][b.lo:b.hi], o.v[b.i][b.lo:b.hi]
		adamwBlock(p, g[:len(p)], m[:len(p)], v[:len(p)], &k, o.decay[b.i] && o.WeightDecay != 0)
	})
}

// adamwStep holds the float32 constants of one update: β1, 1−β1, β2, 1−β2,
// η/(1−β1ᵗ), √(1−β2ᵗ), ε, the decay factor 1−η·λ and the gradient scale.
// Its layout is the C kernel's (adamw_openblas.go).
type adamwStep struct {
	b1, c1, b2, c2, stepSize, sqrtBC2, eps, decay, scale float32
}

// adamwBlock updates p, m and v from g by k (decaying p when decay); the
// cgo build swaps in a vectorised C kernel with the same bits, the pure-Go
// build an assembly one (adamw_amd64.s).
var adamwBlock = adamwBlockGo

// adamwBlockGo is the reference element loop of Update. √v is the float32
// square root (float32 of the float64 root is correctly rounded).
func adamwBlockGo(p, g, m, v []float32, k *adamwStep, decay bool) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for j := range p {
		if decay {
			p[j] *= k.decay
		}
		gs := g[j] * k.scale
		// float32(a·b): no FMA, which Go fuses with GOAMD64=v3 (see
		// student/nn/fastmath.go); the C kernel rounds every product.
		m[j] = float32(k.b1*m[j]) + float32(k.c1*gs)
		v[j] = float32(k.b2*v[j]) + float32(k.c2*gs*gs)
		den := float32(math.Sqrt(float64(v[j])))/k.sqrtBC2 + k.eps
		p[j] -= k.stepSize * m[j] / den
	}
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

// GlobalNorm returns the joint L2 norm of grads, √Σg², the squares summed
// in float64 per block (sumSquares) and the block sums in block order: the
// same result whatever the number of CPUs.
func GlobalNorm(grads [][]float32) float64 {
	bs := blocks(grads)
	sums := make([]float64, len(bs))
	forBlocks(bs, func(k int, b block) { sums[k] = sumSquares(grads[b.i][b.lo:b.hi]) })
	var sum float64
	for _, s := range sums {
		sum += s
	}
	return math.Sqrt(sum)
}

// ClipScale returns the factor by which torch.nn.utils.clip_grad_norm_
// scales gradients of joint norm norm to clip them to maxNorm, in float32
// as the gradients are: maxNorm/(norm+10⁻⁶) when norm > maxNorm > 0, else
// 1 (maxNorm ≤ 0 never clips). Update takes it as its gradient scale.
func ClipScale(norm, maxNorm float64) float32 {
	if maxNorm > 0 && norm > maxNorm {
		return float32(maxNorm / (norm + 1e-6))
	}
	return 1
}

// sumSquares returns Σx² in float64 (each square is exact); the cgo build
// swaps in a vectorised C kernel with the same bits, the pure-Go build an
// assembly one (adamw_amd64.s).
var sumSquares = sumSquaresGo

// sumSquaresGo is the reference sum of GlobalNorm: x[j]² adds to partial
// sum j mod 8, and the partials combine as ((s0+s4)+(s1+s5))+((s2+s6)+(s3+s7)),
// the order of two 4-lane vector accumulators. Eight independent sums also
// let the scalar loop overlap its additions.
func sumSquaresGo(x []float32) float64 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	j := 0
	for ; j+8 <= len(x); j += 8 {
		y := x[j : j+8 : j+8]
		a0, a1, a2, a3 := float64(y[0]), float64(y[1]), float64(y[2]), float64(y[3])
		a4, a5, a6, a7 := float64(y[4]), float64(y[5]), float64(y[6]), float64(y[7])
		s0 += float64(a0 * a0) // no FMA (see adamwBlockGo)
		s1 += float64(a1 * a1)
		s2 += float64(a2 * a2)
		s3 += float64(a3 * a3)
		s4 += float64(a4 * a4)
		s5 += float64(a5 * a5)
		s6 += float64(a6 * a6)
		s7 += float64(a7 * a7)
	}
	s := [8]float64{s0, s1, s2, s3, s4, s5, s6, s7}
	for ; j < len(x); j++ {
		a := float64(x[j])
		s[j&7] += float64(a * a)
	}
	return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]))
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
