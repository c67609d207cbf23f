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
// Nothing is saved: z is recomputed from the inputs and Φ(z) = y/z taken
// from the output (½ at z = 0), which saves an erf per element. Φ and φ
// come from fastmath.go (erfRational, expRange: errors below 1e-7).
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

// geluRows and geluGradRows apply geluRow and geluGradRow to consecutive
// rows of len(b) values. The cgo build replaces them with the same
// arithmetic in C, vectorised (elementwise_openblas.go).
var (
	geluRows     = geluRowsGo
	geluGradRows = geluGradRowsGo
)

func geluRowsGo(y, x, b []float32) {
	f := len(b)
	for r := 0; r < len(y)/f; r++ {
		geluRow(y[r*f:(r+1)*f], x[r*f:(r+1)*f], b)
	}
}

func geluGradRowsGo(dx, x, b, y, dy []float32) {
	f := len(b)
	for r := 0; r < len(dx)/f; r++ {
		geluGradRow(dx[r*f:(r+1)*f], x[r*f:(r+1)*f], b, y[r*f:(r+1)*f], dy[r*f:(r+1)*f])
	}
}

// geluRow sets y = z·Φ(z) with z = x + b. It is normCDF written out so
// that the compiler keeps the loop free of call boundaries (see exp32 on
// conversions).
func geluRow(y, x, b []float32) {
	x, b = x[:len(y)], b[:len(y)]
	for j := range y {
		z := float64(x[j] + b[j])
		u := z * (1 / math.Sqrt2)
		erf := 1.0 // erf(u) rounds to ±1 beyond ±4
		if u < -4 {
			erf = -1
		} else if u <= 4 {
			u2 := u * u
			erf = u * erfP(u2) / erfQ(u2)
		}
		y[j] = float32(z * (0.5 + 0.5*erf))
	}
}

// backward computes dx row by row and each row block's share of db on the
// way; the shares are added in order.
func (g *BiasGELU) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	x, b, y, dy := f32(in[0]), f32(in[1]), f32(out), f32(dOut)
	f := len(b)
	n := len(x) / f
	dxT, dx := mem.dense(false, in[0].Shape()...)
	dbT, db := mem.dense(false, f)
	parts := forRowBlocks(n, f, mem, func(lo, hi int, part []float32) {
		for r := lo; r < hi; r++ {
			dxr := dx[r*f : (r+1)*f]
			geluGradRows(dxr, x[r*f:(r+1)*f], b, y[r*f:(r+1)*f], dy[r*f:(r+1)*f])
			axpy(1, dxr, part)
		}
	})
	addShares(db, parts, f, rowBlocks(n))
	return []*tensor.Dense{dxT, dbT}, nil
}

// geluGradRow sets dx = dy·(Φ(z) + z·φ(z)) with z = x + b, taking Φ(z) =
// y/z from the forward output y (½ at z = 0) and φ as normPDF written out
// as in geluRow.
func geluGradRow(dx, x, b, y, dy []float32) {
	x, b, y, dy = x[:len(dx)], b[:len(dx)], y[:len(dx)], dy[:len(dx)]
	for j := range dx {
		zf := x[j] + b[j]
		z := float64(zf)
		cdf := 0.5
		if zf != 0 {
			cdf = float64(y[j]) / z
		}
		t := -0.5 * z * z
		if t < expLo {
			t = expLo
		}
		k := int(t*math.Log2E+1024.5) - 1024
		pdf := expTaylor(t-float64(k)*math.Ln2) * pow2(k) * (1 / math.Sqrt(2*math.Pi))
		dx[j] = dy[j] * float32(cdf+z*pdf)
	}
}
