package nn

import (
	"math"

	"gorgonia.org/tensor"
)

// L2Normalize scales each row (last dimension) to unit Euclidean length,
// as ColBERT does to its token embeddings.
//
// Input: x [..., D]. Output: y [..., D].
//
// Forward, per row:
//
//	n = max(‖x‖₂, ε),  y = x/n
//
// Backward, given dy, per row:
//
//	dx = (dy − y·(y·dy))/n        when ‖x‖₂ > ε
//	dx = dy/ε                     otherwise
//
// The forward pass saves n per row.
type L2Normalize struct {
	Eps float64

	norms []float32
}

// NewL2Normalize returns an L2Normalize kernel (ε = 1e-12 as in PyTorch's
// F.normalize when eps ≤ 0).
func NewL2Normalize(eps float64) *L2Normalize {
	if eps <= 0 {
		eps = 1e-12
	}
	return &L2Normalize{Eps: eps}
}

func (*L2Normalize) Name() string    { return "L2Normalize" }
func (*L2Normalize) DiffWRT() []bool { return []bool{true} }

func (l *L2Normalize) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(l.Name(), in, 1); err != nil {
		return nil, err
	}
	if len(in[0]) < 1 {
		return nil, &ShapeError{Op: l.Name(), Input: "x", Got: in[0], Want: "at least one dimension"}
	}
	return in[0].Clone(), nil
}

func (l *L2Normalize) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return l.forward(in, train, nil)
}

func (l *L2Normalize) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return l.backward(in, out, dOut, nil)
}

func (l *L2Normalize) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := l.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	n, d := rows(in[0].Shape())
	x := f32(in[0])
	out, y := mem.dense(false, in[0].Shape()...)
	norms := mem.floats(n, false)
	parallelFor(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := x[i*d : (i+1)*d]
			nrm := math.Max(math.Sqrt(float64(dot(row, row))), l.Eps)
			norms[i] = float32(nrm)
			inv := float32(1 / nrm)
			for j, v := range row {
				y[i*d+j] = v * inv
			}
		}
	})
	if train {
		l.norms = norms
	}
	return out, nil
}

func (l *L2Normalize) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	if l.norms == nil {
		return nil, ErrNoForward
	}
	n, d := rows(in[0].Shape())
	y, dy := f32(out), f32(dOut)
	dxT, dx := mem.dense(false, in[0].Shape()...)
	parallelFor(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			yr, dyr, dxr := y[i*d:(i+1)*d], dy[i*d:(i+1)*d], dx[i*d:(i+1)*d]
			inv := 1 / l.norms[i]
			if float64(l.norms[i]) <= l.Eps {
				for j := range dxr {
					dxr[j] = dyr[j] * inv
				}
				continue
			}
			s := dot(yr, dyr)
			for j := range dxr {
				dxr[j] = (dyr[j] - yr[j]*s) * inv
			}
		}
	})
	l.norms = nil
	return []*tensor.Dense{dxT}, nil
}
