package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// layerNormCase returns n rows of h values around offset (with a residual
// when residual is set), γ, β and dy, from r.
func layerNormCase(r *rand.Rand, n, h int, offset float64, residual bool) (x, res, g, b, dy []float32) {
	normal := func(k int, mu, sd float64) []float32 {
		v := make([]float32, k)
		for i := range v {
			v[i] = float32(mu + sd*r.NormFloat64())
		}
		return v
	}
	x = normal(n*h, offset, 1)
	if residual {
		res = normal(n*h, 0, 0.5)
	}
	return x, res, normal(h, 1, 0.2), normal(h, 0, 0.2), normal(n*h, 0, 1)
}

// layerNormSpecialRows overwrites the rows of x (n ≥ 5 rows of h): row 1
// with a large constant (zero variance, so σ⁻¹ = 1/√ε and |μ|·σ⁻¹
// overflows float32), row 2 with +Inf at its end, row 3 with a NaN in its
// middle, row 4 with signed zeros. The NaN is the one x86 arithmetic
// generates (Inf − Inf), so every NaN in the results has the same bits: of
// two NaNs an addition returns the first operand, and which one that is in
// a commutative operation is the compiler's choice.
func layerNormSpecialRows(x []float32, h int) {
	for j := range h {
		x[h+j] = 1e35
		x[4*h+j] = float32(math.Copysign(0, float64(j%2)-0.5))
	}
	x[3*h-1] = float32(math.Inf(1))
	x[3*h+h/2] = math.Float32frombits(0xffc00000)
}

// TestLayerNormRowsImplementationsAgree checks that the LayerNorm row loops
// in use (C and vectorised in the cgo build, Go assembly in the pure-Go
// build on AVX2) give the same bits as the Go loops: outputs, saved
// statistics, input gradients and the dγ, dβ shares, with and without the
// residual, for row lengths around the vector width, on random rows and
// on special ones (layerNormSpecialRows).
func TestLayerNormRowsImplementationsAgree(t *testing.T) {
	r := rng()
	for _, h := range []int{1, 3, 7, 8, 9, 15, 16, 17, 31, 256, 259} {
		for _, c := range []struct{ residual, special bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
			const n = 5
			residual := c.residual
			x, res, g, b, dy := layerNormCase(r, n, h, 3, residual)
			if c.special {
				layerNormSpecialRows(x, h)
				if residual {
					layerNormSpecialRows(res, h)
				}
			}
			yGo, yUse := make([]float32, n*h), make([]float32, n*h)
			mGo, mUse, sGo, sUse := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			layerNormRowsGo(yGo, x, res, g, b, mGo, sGo, 1e-12)
			layerNormRows(yUse, x, res, g, b, mUse, sUse, 1e-12)
			for name, p := range map[string][2][]float32{"y": {yGo, yUse}, "mean": {mGo, mUse}, "rstd": {sGo, sUse}} {
				if !identical(p[0], p[1]) {
					t.Errorf("h %d, %+v: forward %s differs between the Go loop and the one in use", h, c, name)
				}
			}
			grads := func(rows func(dx, dr, dg, db, x, r, g, dy, mean, rstd []float32)) [][]float32 {
				dx, dg, db := make([]float32, n*h), make([]float32, h), make([]float32, h)
				var dr []float32
				if residual {
					dr = make([]float32, n*h)
				}
				for i := range dg { // shares are added to
					dg[i], db[i] = float32(i), -float32(i)
				}
				rows(dx, dr, dg, db, x, res, g, dy, mGo, sGo)
				return [][]float32{dx, dr, dg, db}
			}
			want, got := grads(layerNormGradRowsGo), grads(layerNormGradRows)
			for k, name := range []string{"dx", "dr", "dγ", "dβ"} {
				if !identical(want[k], got[k]) {
					t.Errorf("h %d, %+v: %s differs between the Go loop and the one in use", h, c, name)
				}
			}
			if residual && !identical(got[0], got[1]) {
				t.Errorf("h %d: dr is not dx", h)
			}
		}
	}
}

// TestLayerNormAccuracy compares the LayerNorm in use with a float64
// evaluation of the same formulas on rows whose mean is far from zero
// (where E[s²] − μ² would cancel), at the step's hidden size.
func TestLayerNormAccuracy(t *testing.T) {
	const n, h, eps = 64, 256, 1e-12
	r := rng()
	for _, offset := range []float64{0, 100, 3000} {
		x, res, g, b, dy := layerNormCase(r, n, h, offset, true)
		k := NewAddLayerNorm(eps)
		in := []*tensor.Dense{constF32(x, n, h), constF32(res, n, h), constF32(g, h), constF32(b, h)}
		out, err := k.Forward(in, true)
		if err != nil {
			t.Fatal(err)
		}
		grads, err := k.Backward(in, out, constF32(dy, n, h))
		if err != nil {
			t.Fatal(err)
		}
		y, dx := f32(out), f32(grads[0])
		var worstY, worstDX float64
		for i := range n {
			// The reference: s = x + r as float32 (the kernel's input), the
			// rest in float64.
			s := make([]float64, h)
			var mu, vr float64
			for j := range s {
				s[j] = float64(x[i*h+j] + res[i*h+j])
				mu += s[j]
			}
			mu /= h
			for _, v := range s {
				vr += (v - mu) * (v - mu)
			}
			rs := 1 / math.Sqrt(vr/h+eps)
			var mg, mgx float64
			for j, v := range s {
				gy := float64(g[j]) * float64(dy[i*h+j])
				mg += gy / h
				mgx += gy * (v - mu) * rs / h
			}
			for j, v := range s {
				xh := (v - mu) * rs
				wantY := xh*float64(g[j]) + float64(b[j])
				wantDX := rs * (float64(g[j])*float64(dy[i*h+j]) - mg - xh*mgx)
				worstY = max(worstY, math.Abs(float64(y[i*h+j])-wantY)/(1+math.Abs(wantY)))
				worstDX = max(worstDX, math.Abs(float64(dx[i*h+j])-wantDX)/(rs*(1+math.Abs(wantDX/rs))))
			}
		}
		t.Logf("offset %g: worst error %.3g (y, relative to 1+|y|), %.3g (dx, relative to σ⁻¹·(1+|dx·σ|))", offset, worstY, worstDX)
		// float32 rounding of ŝ scales with |μ|·σ⁻¹ ulp; the statistics add
		// no error of their own beyond that.
		tol := 4e-7 * (1 + offset)
		if worstY > tol || worstDX > tol {
			t.Errorf("offset %g: worst error %.3g (y), %.3g (dx), want ≤ %.3g", offset, worstY, worstDX, tol)
		}
	}
}
