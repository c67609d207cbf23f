package nn

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"gorgonia.org/tensor"
)

// DropoutClock numbers the training steps for the dropout kernels of one
// model: a mask is a function of (Seed, the step, the kernel's site) only,
// so a run resumed from a checkpoint draws the masks an uninterrupted run
// would. The trainer sets the step before each step's forward pass.
type DropoutClock struct {
	Seed uint64
	step atomic.Int64
}

// SetStep sets the step whose masks the next forward passes draw.
func (c *DropoutClock) SetStep(step int) { c.step.Store(int64(step)) }

// Dropout is inverted dropout, as torch.nn.Dropout: in training each
// element is zeroed with probability P and the others are scaled by
// 1/(1 − P), so the expected output equals the input; at inference it is
// the identity.
//
// Inputs: x (any shape). Output: y, the shape of x.
//
// Forward (training), with m_i ~ Bernoulli(1 − P) drawn from PCG streams
// seeded by (Clock.Seed, step, Site), one per block of 16,384 elements:
//
//	y_i = x_i·m_i/(1 − P)
//
// Backward, given dy:
//
//	dx_i = dy_i·m_i/(1 − P)
//
// The scaled mask is saved for Backward.
type Dropout struct {
	P     float64
	Site  uint64 // distinguishes the dropout layers of one model
	Clock *DropoutClock

	scale []float32 // m_i/(1 − P) of the latest training forward pass
}

// NewDropout returns a Dropout kernel; p must be in [0, 1).
func NewDropout(p float64, clock *DropoutClock, site uint64) *Dropout {
	return &Dropout{P: p, Clock: clock, Site: site}
}

func (d *Dropout) Name() string    { return "Dropout" }
func (d *Dropout) DiffWRT() []bool { return []bool{true} }

func (d *Dropout) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(d.Name(), in, 1); err != nil {
		return nil, err
	}
	if !(d.P >= 0 && d.P < 1) {
		return nil, fmt.Errorf("nn: Dropout: probability %g, want 0 ≤ p < 1", d.P)
	}
	return in[0].Clone(), nil
}

func (d *Dropout) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return d.forward(in, train, nil)
}

func (d *Dropout) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return d.backward(in, out, dOut, nil)
}

func (d *Dropout) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := d.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	x := f32(in[0])
	out, y := mem.dense(false, in[0].Shape()...)
	if !train || d.P == 0 {
		copy(y, x)
		return out, nil
	}
	var seed, step uint64
	if d.Clock != nil {
		seed, step = d.Clock.Seed, uint64(d.Clock.step.Load())
	}
	keep := float32(1 / (1 - d.P))
	scale := mem.floats(len(x), false)
	d.scale = scale
	blocks := (len(x) + dropoutBlock - 1) / dropoutBlock
	parallelFor(blocks, func(lo, hi int) {
		for blk := lo; blk < hi; blk++ {
			// Each block of the mask has its own stream, so that blocks can
			// be drawn on any CPU.
			var r rand.PCG
			r.Seed(seed^d.Site*0x9e3779b97f4a7c15, step^uint64(blk)*0xbf58476d1ce4e5b9)
			i0, i1 := blk*dropoutBlock, min((blk+1)*dropoutBlock, len(x))
			for i, v := range x[i0:i1] {
				s := float32(0)
				if float64(r.Uint64()<<11>>11)/(1<<53) >= d.P { // rand.Float64's draw
					s = keep
				}
				scale[i0+i] = s
				y[i0+i] = v * s
			}
		}
	})
	return out, nil
}

// dropoutBlock is the number of mask elements drawn from one random stream.
const dropoutBlock = 1 << 14

func (d *Dropout) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	dy := f32(dOut)
	dxT, dx := mem.dense(false, in[0].Shape()...)
	if d.P == 0 {
		copy(dx, dy)
		return []*tensor.Dense{dxT}, nil
	}
	if len(d.scale) != len(dy) {
		return nil, fmt.Errorf("nn: Dropout: backward of %d elements after a training forward of %d", len(dy), len(d.scale))
	}
	parallelFor(len(dy), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dx[i] = dy[i] * d.scale[i]
		}
	})
	return []*tensor.Dense{dxT}, nil
}
