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

// input returns x and, with Residual set, r (else nil) as slices.
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
		var rr []float32
		if r != nil {
			rr = r[lo*h : hi*h]
		}
		layerNormRows(y[lo*h:hi*h], x[lo*h:hi*h], rr, g, b, mean[lo:hi], rstd[lo:hi], l.Eps)
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
	// Row blocks (see forRowBlocks), each with its dγ and dβ shares side by
	// side.
	parts := forRowBlocks(n, 2*h, mem, func(lo, hi int, share []float32) {
		var rr, drr []float32
		if r != nil {
			rr, drr = r[lo*h:hi*h], dr[lo*h:hi*h]
		}
		layerNormGradRows(dx[lo*h:hi*h], drr, share[:h], share[h:], x[lo*h:hi*h], rr, g, dy[lo*h:hi*h],
			l.mean[lo:hi], l.rstd[lo:hi])
	})
	dgT, dg := mem.dense(false, h)
	dbT, db := mem.dense(false, h)
	blocks := rowBlocks(n)
	addShares(dg, parts, 2*h, blocks)
	addShares(db, parts[h:], 2*h, blocks)
	l.mean, l.rstd = nil, nil
	if l.Residual {
		return []*tensor.Dense{dxT, drT, dgT, dbT}, nil
	}
	return []*tensor.Dense{dxT, dgT, dbT}, nil
}

// layerNormRows and layerNormGradRows run the forward and backward passes
// on consecutive rows of len(g) values. Where the CPU has AVX2, the cgo
// build replaces them with the same arithmetic in C, vectorised
// (layernorm_openblas.go), and the pure-Go build with the same in Go
// assembly (layernorm_amd64.s).
var (
	layerNormRows     = layerNormRowsGo
	layerNormGradRows = layerNormGradRowsGo
)

// lanes is the number of partial sums a row's sums are split into: value j
// goes to partial j mod lanes, and the partials are added as a fixed tree
// (see sum8), so that the C loops add eight values at a time in exactly
// the Go order.
const lanes = 8

// sum8 adds eight partial sums pairwise: ((0+1)+(2+3))+((4+5)+(6+7)).
func sum8[T float32 | float64](s *[lanes]T) T {
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

// layerNormRowsGo normalises each row of x (+ r when r is not nil) into y
// and sets its mean and 1/σ. The mean and the variance are float64 sums
// in two passes (the variance of the deviations from the mean, not
// E[s²]−μ², which cancels), each in eight partials.
func layerNormRowsGo(y, x, r, g, b, mean, rstd []float32, eps float64) {
	h := len(g)
	for i := range mean {
		row := y[i*h : (i+1)*h]
		xr := x[i*h : (i+1)*h]
		var s [lanes]float64
		if r != nil {
			rr := r[i*h : (i+1)*h]
			for j := range row {
				v := xr[j] + rr[j]
				row[j] = v
				s[j%lanes] += float64(v)
			}
		} else {
			for j, v := range xr {
				row[j] = v
				s[j%lanes] += float64(v)
			}
		}
		mu := sum8(&s) / float64(h)
		s = [lanes]float64{}
		for j, v := range row {
			d := float64(v) - mu
			s[j%lanes] += float64(d * d) // no FMA (fastmath.go), as below
		}
		rs := 1 / math.Sqrt(sum8(&s)/float64(h)+eps)
		m32, r32 := float32(mu), float32(rs)
		mean[i], rstd[i] = m32, r32
		for j, v := range row {
			row[j] = float32((v-m32)*r32*g[j]) + b[j]
		}
	}
}

// layerNormGradRowsGo sets dx (and dr, when not nil, to the same values)
// for each row from dy and the saved mean and 1/σ, and adds the rows'
// dy⊙ŝ to dg and dy to db, row after row. The row means of g = γ⊙dy and
// g⊙ŝ are float32 sums in eight partials.
func layerNormGradRowsGo(dx, dr, dg, db, x, r, g, dy, mean, rstd []float32) {
	h := len(g)
	var buf [1024]float32 // ŝ of a row, on the stack up to BERT-large's 1,024
	xhat := buf[:0]
	if h <= len(buf) {
		xhat = buf[:h]
	} else {
		xhat = make([]float32, h)
	}
	for i := range mean {
		mu, rs := mean[i], rstd[i]
		xr, dyr, dxr := x[i*h:(i+1)*h], dy[i*h:(i+1)*h], dx[i*h:(i+1)*h]
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
		var sg, sgx [lanes]float32
		for j, d := range dyr {
			gy := float32(g[j] * d) // added below: no FMA (fastmath.go)
			sg[j%lanes] += gy
			sgx[j%lanes] += float32(gy * xhat[j])
			dg[j] += float32(d * xhat[j])
			db[j] += d
		}
		mg, mgx := sum8(&sg)/float32(h), sum8(&sgx)/float32(h)
		for j, d := range dyr {
			dxr[j] = rs * (float32(g[j]*d) - mg - float32(xhat[j]*mgx))
		}
		if dr != nil {
			copy(dr[i*h:(i+1)*h], dxr)
		}
	}
}
