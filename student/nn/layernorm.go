package nn

import (
	"math"

	"gorgonia.org/tensor"
)

// LayerNorm normalises each row (the last dimension) to zero mean and unit
// variance, then applies a gain and a bias. With Residual set it first adds
// a second input, the Transformer's "Add & Norm".
//
// Inputs: x [..., H], (r [..., H] when Residual), γ [H], β [H].
// Output: y [..., H].
//
// Forward, per row with s = x (+ r):
//
//	μ = mean(s),  σ⁻¹ = 1/√(mean((s−μ)²) + ε)
//	ŝ = (s − μ)·σ⁻¹
//	y = γ⊙ŝ + β
//
// Backward, given dy, per row (g = γ⊙dy):
//
//	ds = σ⁻¹·(g − mean(g) − ŝ·mean(g⊙ŝ))
//	dx = dr = ds,  dγ = Σ_rows dy⊙ŝ,  dβ = Σ_rows dy
//
// The forward pass saves μ and σ⁻¹ per row; ŝ is recomputed.
type LayerNorm struct {
	Eps      float64
	Residual bool

	mean, rstd []float32
}

// NewLayerNorm returns a LayerNorm kernel with inputs (x, γ, β).
func NewLayerNorm(eps float64) *LayerNorm { return &LayerNorm{Eps: eps} }

// NewAddLayerNorm returns a LayerNorm kernel with inputs (x, r, γ, β) that
// normalises x + r.
func NewAddLayerNorm(eps float64) *LayerNorm { return &LayerNorm{Eps: eps, Residual: true} }

func (l *LayerNorm) Name() string {
	if l.Residual {
		return "AddLayerNorm"
	}
	return "LayerNorm"
}

func (l *LayerNorm) arity() int {
	if l.Residual {
		return 4
	}
	return 3
}

func (l *LayerNorm) DiffWRT() []bool {
	d := []bool{true, true, true, true}
	return d[:l.arity()]
}

func (l *LayerNorm) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(l.Name(), in, l.arity()); err != nil {
		return nil, err
	}
	_, h := rows(in[0])
	if l.Residual && !in[1].Eq(in[0]) {
		return nil, &ShapeError{Op: l.Name(), Input: "r", Got: in[1], Want: "the shape of x"}
	}
	for i, name := range []string{"γ", "β"} {
		s := in[l.arity()-2+i]
		if len(s) != 1 || s[0] != h {
			return nil, &ShapeError{Op: l.Name(), Input: name, Got: s, Want: "[H] with H = the last dimension of x"}
		}
	}
	return in[0].Clone(), nil
}

// sum returns x (+ r) as a slice, row element i.
func (l *LayerNorm) input(in []*tensor.Dense) (x, r []float32) {
	x = f32(in[0])
	if l.Residual {
		r = f32(in[1])
	}
	return x, r
}

func (l *LayerNorm) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return l.forward(in, train, nil)
}

func (l *LayerNorm) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return l.backward(in, out, dOut, nil)
}

func (l *LayerNorm) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := l.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	x, r := l.input(in)
	g, b := f32(in[l.arity()-2]), f32(in[l.arity()-1])
	h := len(g)
	n := len(x) / h
	out, y := mem.dense(false, in[0].Shape()...)
	mean, rstd := mem.floats(n, false), mem.floats(n, false)
	parallelFor(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := y[i*h : (i+1)*h]
			var mu float64
			if r != nil {
				xr, rr := x[i*h:(i+1)*h], r[i*h:(i+1)*h]
				for j := range row {
					v := xr[j] + rr[j]
					row[j] = v
					mu += float64(v)
				}
			} else {
				for j, v := range x[i*h : (i+1)*h] {
					row[j] = v
					mu += float64(v)
				}
			}
			mu /= float64(h)
			var vr float64
			for _, v := range row {
				d := float64(v) - mu
				vr += d * d
			}
			rs := 1 / math.Sqrt(vr/float64(h)+l.Eps)
			mean[i], rstd[i] = float32(mu), float32(rs)
			m32, r32 := float32(mu), float32(rs)
			for j, v := range row {
				row[j] = (v-m32)*r32*g[j] + b[j]
			}
		}
	})
	if train {
		l.mean, l.rstd = mean, rstd
	}
	return out, nil
}

// backward computes ds row by row and each row block's share of dγ and dβ
// on the way; the shares are added in order.
func (l *LayerNorm) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	if l.mean == nil {
		return nil, ErrNoForward
	}
	x, r := l.input(in)
	g := f32(in[l.arity()-2])
	dy := f32(dOut)
	h := len(g)
	n := len(x) / h
	dxT, dx := mem.dense(false, in[0].Shape()...)
	var drT *tensor.Dense
	var dr []float32 // the residual's gradient, a copy of dx
	if l.Residual {
		drT, dr = mem.dense(false, in[0].Shape()...)
	}
	// Row blocks (see forRowBlocks), each with its dγ and dβ shares.
	blocks := rowBlocks(n)
	parts := mem.floats(2*blocks*h, true)
	parallelFor(blocks, func(blo, bhi int) {
		xhat, gy := make([]float32, h), make([]float32, h)
		for blk := blo; blk < bhi; blk++ {
			dg, db := parts[2*blk*h:(2*blk+1)*h], parts[(2*blk+1)*h:(2*blk+2)*h]
			for i := blk * sumBlockRows; i < min((blk+1)*sumBlockRows, n); i++ {
				mu, rs := l.mean[i], l.rstd[i]
				dyr := dy[i*h : (i+1)*h]
				xr := x[i*h : (i+1)*h]
				if r != nil {
					rr := r[i*h : (i+1)*h]
					for j := range xhat {
						xhat[j] = (xr[j] + rr[j] - mu) * rs
					}
				} else {
					for j := range xhat {
						xhat[j] = (xr[j] - mu) * rs
					}
				}
				var mg, mgx float32
				for j, d := range dyr {
					gy[j] = g[j] * d
					mg += gy[j]
					mgx += gy[j] * xhat[j]
					dg[j] += d * xhat[j]
					db[j] += d
				}
				mg /= float32(h)
				mgx /= float32(h)
				dxr := dx[i*h : (i+1)*h]
				for j := range dxr {
					dxr[j] = rs * (gy[j] - mg - xhat[j]*mgx)
				}
				if dr != nil {
					copy(dr[i*h:(i+1)*h], dxr)
				}
			}
		}
	})
	dgT, dg := mem.dense(false, h)
	dbT, db := mem.dense(false, h)
	addShares(dg, parts, 2*h, blocks)
	addShares(db, parts[h:], 2*h, blocks)
	l.mean, l.rstd = nil, nil
	if l.Residual {
		return []*tensor.Dense{dxT, drT, dgT, dbT}, nil
	}
	return []*tensor.Dense{dxT, dgT, dbT}, nil
}
