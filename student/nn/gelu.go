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
// Nothing is saved: z is recomputed from the inputs.
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
	if _, err := g.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	x, b := f32(in[0]), f32(in[1])
	f := len(b)
	out, y := newF32(in[0].Shape()...)
	parallelFor(len(x)/f, func(lo, hi int) {
		for i := lo * f; i < hi*f; i++ {
			z := x[i] + b[i%f]
			cdf, _ := normCDFPDF(z)
			y[i] = z * cdf
		}
	})
	return out, nil
}

func (g *BiasGELU) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	x, b, dy := f32(in[0]), f32(in[1]), f32(dOut)
	f := len(b)
	dxT, dx := newF32(in[0].Shape()...)
	parallelFor(len(x)/f, func(lo, hi int) {
		for i := lo * f; i < hi*f; i++ {
			z := x[i] + b[i%f]
			cdf, pdf := normCDFPDF(z)
			dx[i] = dy[i] * (cdf + z*pdf)
		}
	})
	dbT, db := newF32(f)
	for r := 0; r < len(x)/f; r++ {
		axpy(1, dx[r*f:(r+1)*f], db)
	}
	return []*tensor.Dense{dxT, dbT}, nil
}

// normCDFPDF returns Φ(z) and φ(z) of the standard normal, computing one
// exponential. Φ uses erf of Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7,
// below float32 resolution).
func normCDFPDF(z float32) (cdf, pdf float32) {
	const (
		p  = 0.3275911
		a1 = 0.254829592
		a2 = -0.284496736
		a3 = 1.421413741
		a4 = -1.453152027
		a5 = 1.061405429
	)
	x := float64(z) / math.Sqrt2
	ax := math.Abs(x)
	e := math.Exp(-ax * ax) // = exp(−z²/2)
	t := 1 / (1 + p*ax)
	erf := 1 - ((((a5*t+a4)*t+a3)*t+a2)*t+a1)*t*e
	if x < 0 {
		erf = -erf
	}
	return float32(0.5 * (1 + erf)), float32(e / math.Sqrt(2*math.Pi))
}
