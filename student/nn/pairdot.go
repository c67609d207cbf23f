package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// PairDot scores row b of A against row Offset+b of C, SPLADE's
// query–document score s = w_q·w_d.
//
// Inputs: A [B, V], C [Bc, V] with Offset+B ≤ Bc. Output: s [B].
//
// Forward:   s_b = Σ_j A_bj·C_(Offset+b)j, summed in float64: the V terms of
// a dense early-training SPLADE vector add up to thousands, and a float32
// sum of 30,522 of them is off by ~1e-5 relative, which the difference of
// two scores in Margin-MSE magnifies (scripts/torch_train_reference.py).
// Backward:  dA_b = ds_b·C_(Offset+b),  dC_(Offset+b) = ds_b·A_b (other rows 0)
type PairDot struct {
	Offset int
}

// NewPairDot returns a PairDot kernel pairing row b with row offset+b.
func NewPairDot(offset int) *PairDot { return &PairDot{Offset: offset} }

func (p *PairDot) Name() string    { return "PairDot" }
func (p *PairDot) DiffWRT() []bool { return []bool{true, true} }

func (p *PairDot) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(p.Name(), in, 2); err != nil {
		return nil, err
	}
	a, c := in[0], in[1]
	if len(a) != 2 {
		return nil, &ShapeError{Op: p.Name(), Input: "A", Got: a, Want: "[B, V]"}
	}
	if len(c) != 2 || c[1] != a[1] || p.Offset < 0 || p.Offset+a[0] > c[0] {
		return nil, &ShapeError{Op: p.Name(), Input: "C", Got: c, Want: fmt.Sprintf("[≥%d, %d]", p.Offset+a[0], a[1])}
	}
	return tensor.Shape{a[0]}, nil
}

func (p *PairDot) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return p.forward(in, train, nil)
}

func (p *PairDot) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return p.backward(in, out, dOut, nil)
}

func (p *PairDot) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := p.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	B, V := in[0].Shape()[0], in[0].Shape()[1]
	a, c := f32(in[0]), f32(in[1])
	out, s := mem.dense(false, B)
	parallelFor(B, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			r := p.Offset + b
			s[b] = float32(dot64(a[b*V:(b+1)*V], c[r*V:(r+1)*V]))
		}
	})
	return out, nil
}

func (p *PairDot) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	B, V := in[0].Shape()[0], in[0].Shape()[1]
	a, c, ds := f32(in[0]), f32(in[1]), f32(dOut)
	daT, da := mem.dense(false, in[0].Shape()...)
	dcT, dc := mem.dense(false, in[1].Shape()...)
	// Row r of dc belongs to pair r − Offset when that is in [0, B), else
	// it is zero; each row is cleared, then gets its pair's term.
	parallelFor(in[1].Shape()[0], func(lo, hi int) {
		for r := lo; r < hi; r++ {
			clear(dc[r*V : (r+1)*V])
			if b := r - p.Offset; b >= 0 && b < B {
				axpy(ds[b], a[b*V:(b+1)*V], dc[r*V:(r+1)*V])
			}
		}
	})
	parallelFor(B, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			r := p.Offset + b
			clear(da[b*V : (b+1)*V])
			axpy(ds[b], c[r*V:(r+1)*V], da[b*V:(b+1)*V])
		}
	})
	return []*tensor.Dense{daT, dcT}, nil
}

// dot64 returns Σ x_i·y_i accumulated in float64.
func dot64(x, y []float32) float64 {
	y = y[:len(x)]
	var s0, s1 float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		s0 += float64(x[i]) * float64(y[i])
		s1 += float64(x[i+1]) * float64(y[i+1])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i]) * float64(y[i])
	}
	return s0 + s1
}
