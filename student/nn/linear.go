package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Linear is the affine map of the last dimension, y = x·Wᵀ + b, with the
// weight stored [out, in] as in PyTorch and Hugging Face checkpoints.
//
// Inputs: x [..., in], W [out, in] and, when HasBias, b [out].
// Output: y [..., out].
//
// Forward:
//
//	y = x·Wᵀ + b                  (one GEMM, N×in×out)
//
// Backward, given dy:
//
//	dx = dy·W                     (N×out×in)
//	dW = dyᵀ·x                    (out×N×in)
//	db = Σ_rows dy
type Linear struct {
	HasBias bool
}

// NewLinear returns a Linear kernel, with a bias input when hasBias is set.
func NewLinear(hasBias bool) *Linear { return &Linear{HasBias: hasBias} }

func (l *Linear) Name() string { return "Linear" }

func (l *Linear) arity() int {
	if l.HasBias {
		return 3
	}
	return 2
}

func (l *Linear) DiffWRT() []bool {
	d := []bool{true, true, true}
	return d[:l.arity()]
}

func (l *Linear) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(l.Name(), in, l.arity()); err != nil {
		return nil, err
	}
	x, w := in[0], in[1]
	if len(x) < 1 || len(w) != 2 || x[len(x)-1] != w[1] {
		return nil, &ShapeError{Op: l.Name(), Input: "W", Got: w, Want: "[out, in] with in = the last dimension of x"}
	}
	if l.HasBias && (len(in[2]) != 1 || in[2][0] != w[0]) {
		return nil, &ShapeError{Op: l.Name(), Input: "b", Got: in[2], Want: fmt.Sprintf("[%d]", w[0])}
	}
	out := x.Clone()
	out[len(out)-1] = w[0]
	return out, nil
}

func (l *Linear) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return l.forward(in, train, nil)
}

func (l *Linear) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return l.backward(in, out, dOut, nil)
}

// forward fills y with the bias rows and lets the GEMM accumulate onto
// them (β = 1), one pass over y instead of a zeroing pass and a bias pass.
func (l *Linear) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	shape, err := l.OutShape(shapesOf(in))
	if err != nil {
		return nil, err
	}
	n, k := rows(in[0].Shape())
	m := in[1].Shape()[0]
	out, y := mem.dense(false, shape...)
	var beta float32
	if l.HasBias {
		b := f32(in[2])
		parallelFor(n, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				copy(y[r*m:(r+1)*m], b)
			}
		})
		beta = 1
	}
	sgemmLarge(false, true, n, m, k, 1, f32(in[0]), k, f32(in[1]), k, beta, y, m)
	return out, nil
}

func (l *Linear) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	n, k := rows(in[0].Shape())
	m := in[1].Shape()[0]
	x, w, dy := f32(in[0]), f32(in[1]), f32(dOut)
	dxT, dx := mem.dense(false, in[0].Shape()...)
	dwT, dw := mem.dense(false, m, k)
	sgemmLarge(false, false, n, k, m, 1, dy, m, w, k, 0, dx, k)
	sgemmLarge(true, false, m, k, n, 1, dy, m, x, k, 0, dw, k)
	grads := []*tensor.Dense{dxT, dwT}
	if l.HasBias {
		dbT, db := mem.dense(false, m)
		sumRowsInto(db, dy[:n*m], mem)
		grads = append(grads, dbT)
	}
	return grads, nil
}

func shapesOf(in []*tensor.Dense) []tensor.Shape {
	s := make([]tensor.Shape, len(in))
	for i, t := range in {
		s[i] = t.Shape()
	}
	return s
}
