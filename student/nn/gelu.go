package nn

import (
	"math"

	"gorgonia.org/tensor"
)

// BiasGELU adds a bias to the last dimension and applies the exact (erf)
// GELU, as in BERT's intermediate layer.
//
// Inputs: x [..., F], b [F]. Output: y [..., F].
//
// Forward:
//
//	z = x + b
//	y = z·Φ(z) = ½·z·(1 + erf(z/√2))
//
// Backward, given dy:
//
//	dz = dy·(Φ(z) + z·φ(z)),   φ(z) = exp(−z²/2)/√(2π)
//	dx = dz,   db = Σ_rows dz
//
// Both passes run in float32 and take Φ from the Gaussian tail
// Φ(−|z|) = e^(−z²/2)·R(|z|) (gaussTail), so that Φ keeps its relative
// accuracy far into the lower tail, where ½·(1 + erf) cancels; φ shares the
// exponential. Nothing is saved: the backward pass recomputes z and does
// not read y. Both are within a few float32 ulps of the exact values
// (fastmath_test.go measures the worst cases over a dense sweep).
//
// Special cases: for z ≤ −13.2, where |GELU(z)| < 2⁻¹²⁸, y = −0 and
// dx = ±0; y = +Inf at z = +Inf, NaN at −Inf and NaN; dx is NaN at ±Inf
// and NaN.
type BiasGELU struct{}

// NewBiasGELU returns a BiasGELU kernel.
func NewBiasGELU() *BiasGELU { return &BiasGELU{} }

func (*BiasGELU) Name() string    { return "BiasGELU" }
func (*BiasGELU) DiffWRT() []bool { return []bool{true, true} }

func (g *BiasGELU) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(g.Name(), in, 2); err != nil {
		return nil, err
	}
	_, f := rows(in[0])
	if len(in[1]) != 1 || in[1][0] != f {
		return nil, &ShapeError{Op: g.Name(), Input: "b", Got: in[1], Want: "[F] matching x's last dimension"}
	}
	return in[0].Clone(), nil
}

func (g *BiasGELU) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return g.forward(in, train, nil)
}

func (g *BiasGELU) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return g.backward(in, out, dOut, nil)
}

func (g *BiasGELU) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := g.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	x, b := f32(in[0]), f32(in[1])
	f := len(b)
	out, y := mem.dense(false, in[0].Shape()...)
	parallelFor(len(x)/f, func(lo, hi int) {
		geluRows(y[lo*f:hi*f], x[lo*f:hi*f], b)
	})
	return out, nil
}

// geluRows sets y = GELU(x + b) row by row, rows of len(b) values;
// geluGradRows sets dx = dy·GELU'(x + b) and adds each row of dx to share
// in row order. The cgo build replaces them with the same arithmetic in C,
// vectorised (elementwise_openblas.go).
var (
	geluRows     = geluRowsGo
	geluGradRows = geluGradRowsGo
)

func geluRowsGo(y, x, b []float32) {
	f := len(b)
	for r := 0; r < len(y)/f; r++ {
		yr, xr := y[r*f:(r+1)*f], x[r*f:(r+1)*f]
		for j, bj := range b {
			z := xr[j] + bj
			q, _ := gaussTail(abs32(z))
			yr[j] = z * bySign(z, q, 1-q)
		}
	}
}

// backward computes dx and each block of rows' share of db in one pass
// over the block; the shares are added in order.
func (g *BiasGELU) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	x, b, dy := f32(in[0]), f32(in[1]), f32(dOut)
	f := len(b)
	n := len(x) / f
	dxT, dx := mem.dense(false, in[0].Shape()...)
	dbT, db := mem.dense(false, f)
	parts := forRowBlocks(n, f, mem, func(lo, hi int, part []float32) {
		geluGradRows(dx[lo*f:hi*f], x[lo*f:hi*f], b, dy[lo*f:hi*f], part)
	})
	addShares(db, parts, f, rowBlocks(n))
	return []*tensor.Dense{dxT, dbT}, nil
}

func geluGradRowsGo(dx, x, b, dy, share []float32) {
	f := len(b)
	share = share[:f]
	for r := 0; r < len(dx)/f; r++ {
		dxr, xr, dyr := dx[r*f:(r+1)*f], x[r*f:(r+1)*f], dy[r*f:(r+1)*f]
		for j, bj := range b {
			z := xr[j] + bj
			q, g := gaussTail(abs32(z))
			d := float32(dyr[j] * (bySign(z, q, 1-q) + float32(z*(g*invSqrt2Pi)))) // added to share: no FMA (fastmath.go)
			dxr[j] = d
			share[j] += d
		}
	}
}

// bySign returns neg if z's sign bit is set, else pos: Φ(z) is q = Φ(−|z|)
// below 0 and 1 − q above (at ±0 both are ½). It picks with bit masks
// rather than a branch, which z's sign would mispredict half the time.
func bySign(z, neg, pos float32) float32 {
	m := uint32(int32(math.Float32bits(z)) >> 31)
	return math.Float32frombits(math.Float32bits(neg)&m | math.Float32bits(pos)&^m)
}
