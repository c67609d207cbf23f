package nn

import (
	"math"
	"testing"
)

// relErr returns |got − want|/|want| (the absolute error where want is 0).
func relErr(got float32, want float64) float64 {
	d := math.Abs(float64(got) - want)
	if want == 0 {
		return d
	}
	return d / math.Abs(want)
}

// worstRelErr sweeps x = i·step for i in [−10⁶, 10⁶] and returns the worst
// relative error of f against ref, and where it occurs.
func worstRelErr(step float32, f func(float32) float32, ref func(float64) float64) (worst, at float64) {
	for i := -1_000_000; i <= 1_000_000; i++ {
		x := float32(i) * step
		if e := relErr(f(x), ref(float64(x))); e > worst {
			worst, at = e, float64(x)
		}
	}
	return worst, at
}

func TestExp32(t *testing.T) {
	worst, at := worstRelErr(8.7e-5, exp32, math.Exp) // [−87, 87]
	// float32 rounding alone allows 2⁻²⁴ ≈ 6e-8.
	if worst > 1e-7 {
		t.Errorf("exp32: worst relative error %.3g at x = %g, want ≤ 1e-7", worst, at)
	}
	t.Logf("exp32: worst relative error %.3g at x = %g", worst, at)
	for _, c := range []struct {
		x    float32
		want float32
	}{
		{0, 1}, {1, float32(math.E)}, {-105, 0}, {float32(math.Inf(-1)), 0},
		{89, float32(math.Inf(1))}, {float32(math.Inf(1)), float32(math.Inf(1))},
		{-100, float32(math.Exp(-100))}, // subnormal
	} {
		if got := exp32(c.x); got != c.want {
			t.Errorf("exp32(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := exp32(float32(math.NaN())); got == got {
		t.Errorf("exp32(NaN) = %g, want NaN", got)
	}
}

// ulps returns |got − want| in units of the float32 spacing at want
// (that of the smallest normal below it).
func ulps(got float32, want float64) float64 {
	w := math.Abs(want)
	if w < 0x1p-126 {
		w = 0x1p-126
	}
	_, e := math.Frexp(w) // w = m·2^e, m in [½, 1)
	return math.Abs(float64(got)-want) / math.Ldexp(1, e-24)
}

// TestGaussTail sweeps gaussTail over [0, gaussTailMax) against Φ(−a) and
// e^(−a²/2) from math.Erfc and math.Exp, in ulps, where the result is a
// normal float32.
func TestGaussTail(t *testing.T) {
	var worstQ, worstG, atQ, atG float64
	for i := 0; i < 3_000_000; i++ {
		a := float32(i) * (gaussTailMax / 3_000_000)
		q, g := gaussTail(a)
		x := float64(a)
		wantQ, wantG := 0.5*math.Erfc(x/math.Sqrt2), math.Exp(-x*x/2)
		if wantQ >= 0x1p-126 {
			if u := ulps(q, wantQ); u > worstQ {
				worstQ, atQ = u, x
			}
		}
		if wantG >= 0x1p-126 {
			if u := ulps(g, wantG); u > worstG {
				worstG, atG = u, x
			}
		}
	}
	t.Logf("gaussTail: worst %.2f ulp for Φ(−a) at a = %g, %.2f ulp for e^(−a²/2) at a = %g", worstQ, atQ, worstG, atG)
	if worstQ > 10 || worstG > 2.5 {
		t.Errorf("gaussTail: worst %.2f ulp for Φ(−a) at a = %g (want ≤ 10), %.2f ulp for e^(−a²/2) at a = %g (want ≤ 2.5)", worstQ, atQ, worstG, atG)
	}
	for _, a := range []float32{gaussTailMax, 15, 1e30, float32(math.Inf(1)), float32(math.NaN())} {
		if q, g := gaussTail(a); q != 0 || g != 0 {
			t.Errorf("gaussTail(%g) = %g, %g, want 0, 0", a, q, g)
		}
	}
	if q, g := gaussTail(0); q != 0.5 || g != 1 {
		t.Errorf("gaussTail(0) = %g, %g, want 0.5, 1", q, g)
	}
}

// geluRef returns GELU(z) = z·Φ(z) and its derivative Φ(z) + z·φ(z) in
// float64, Φ from math.Erfc (accurate in both tails).
func geluRef(z float64) (y, dy float64) {
	cdf := 0.5 * math.Erfc(-z/math.Sqrt2)
	pdf := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	return z * cdf, cdf + z*pdf
}

// TestGELURows sweeps the Go GELU loops over [−15, 15] against geluRef:
// GELU in ulps of its value, the derivative in ulps of its larger term (it
// crosses zero near −0.75), wherever Φ(z) is a normal float32 (z > −13;
// below, Φ and GELU underflow gradually to 0). The worst cases lie in the
// lower tail, where ½·(1 + erf) would have lost all accuracy.
func TestGELURows(t *testing.T) {
	const n = 3_000_001
	x, b := make([]float32, n), make([]float32, 1)
	for i := range x {
		x[i] = float32(i-n/2) * 1e-5
	}
	y, dy, dx, db := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, 1)
	for i := range dy {
		dy[i] = 1
	}
	geluRowsGo(y, x, b)
	geluGradRowsGo(dx, x, b, dy, db)
	var worstY, worstD, coreY, atY, atD float64
	for i, v := range x {
		z := float64(v)
		wantY, wantD := geluRef(z)
		cdf := 0.5 * math.Erfc(-z/math.Sqrt2)
		scale := max(cdf, math.Abs(z)*math.Exp(-z*z/2)/math.Sqrt(2*math.Pi))
		if cdf < 0x1p-126 {
			if math.Abs(float64(y[i])-wantY) > 0x1p-122 || math.Abs(float64(dx[i])-wantD) > 0x1p-122 {
				t.Errorf("GELU(%g) = %g, derivative %g, want %g, %g", z, y[i], dx[i], wantY, wantD)
			}
			continue
		}
		u := ulps(y[i], wantY)
		if u > worstY {
			worstY, atY = u, z
		}
		if z >= -3 {
			coreY = max(coreY, u)
		}
		if u := math.Abs(float64(dx[i])-wantD) / scale * 0x1p24; u > worstD {
			worstD, atD = u, z
		}
	}
	t.Logf("GELU: worst %.2f ulp at z = %g (%.2f for z ≥ −3); derivative: worst %.2f ulp of its larger term at z = %g",
		worstY, atY, coreY, worstD, atD)
	if worstY > 10 || coreY > 6 || worstD > 6 {
		t.Errorf("GELU: worst %.2f ulp at z = %g (want ≤ 10), %.2f for z ≥ −3 (want ≤ 6); derivative: worst %.2f ulp at z = %g (want ≤ 6)",
			worstY, atY, coreY, worstD, atD)
	}
}

// TestGELURowsImplementationsAgree checks that the GELU row loops in use
// (C in the cgo build, assembly in the pure-Go build, where the CPU has
// AVX2) give the same bits as the Go loops, on rows of 257, 256 and 7,
// on values around every branch: 0, the end of gaussTail's range, large and
// tiny magnitudes, infinities and NaN, and the same db shares.
func TestGELURowsImplementationsAgree(t *testing.T) {
	for _, f := range []int{257, 256, 7} { // rows of vectors and a tail, of vectors only, of a tail only
		testGELURowsAgree(t, f)
	}
}

func testGELURowsAgree(t *testing.T, f int) {
	r := rng()
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	special := []float32{0, float32(math.Copysign(0, -1)), 13.2, -13.2, 13.199999, -13.199999, 13.200001, -13.200001,
		-20, 20, 1e-30, -1e-30, 1e-45, 3e38, -3e38, inf, -inf, nan}
	var x []float32
	for len(x) < 64*f {
		v := float32(r.NormFloat64() * 3)
		if r.IntN(4) == 0 {
			v = special[r.IntN(len(special))]
		}
		x = append(x, v)
	}
	b := make([]float32, f)
	for i := range b {
		b[i] = float32(r.NormFloat64() * 0.1)
		if i%5 == 0 {
			b[i] = 0
		}
	}
	dy := make([]float32, len(x))
	for i := range dy {
		dy[i] = float32(r.NormFloat64())
	}
	yGo, yUse := make([]float32, len(x)), make([]float32, len(x))
	geluRowsGo(yGo, x, b)
	geluRows(yUse, x, b)
	dGo, dUse := make([]float32, len(x)), make([]float32, len(x))
	sGo, sUse := make([]float32, f), make([]float32, f)
	geluGradRowsGo(dGo, x, b, dy, sGo)
	geluGradRows(dUse, x, b, dy, sUse)
	for i := range x {
		if math.Float32bits(yGo[i]) != math.Float32bits(yUse[i]) || math.Float32bits(dGo[i]) != math.Float32bits(dUse[i]) {
			t.Fatalf("f %d, x+b = %g: GELU %g / %g (Go / in use), derivative %g / %g", f, x[i]+b[i%f], yGo[i], yUse[i], dGo[i], dUse[i])
		}
	}
	for j := range sGo { // a sum of NaNs keeps one of their payloads: any NaN will do
		if math.Float32bits(sGo[j]) != math.Float32bits(sUse[j]) && (sGo[j] == sGo[j] || sUse[j] == sUse[j]) {
			t.Fatalf("f %d, db share %d: %g in Go, %g in use", f, j, sGo[j], sUse[j])
		}
	}
}

// TestSoftmaxRowsImplementationsAgree checks that the softmax in use (C
// and vectorised in the cgo build, assembly in the pure-Go build) gives
// the same bits as softmaxMasked, with masked keys, a fully masked row,
// logits far apart and row lengths around the vector width.
func TestSoftmaxRowsImplementationsAgree(t *testing.T) {
	r := rng()
	for _, S := range []int{1, 7, 8, 9, 19, 32, 129} {
		keep := make([]float32, S)
		for j := range keep {
			if r.IntN(5) != 0 {
				keep[j] = 1
			}
		}
		// Spread 0 draws logits uniformly from [−120, 0]: x − mx runs
		// through exp32's subnormal results and below expLo.
		for _, spread := range []float64{1, 30, 200, 0} {
			p := make([]float32, S*S+lanes) // lanes guard values past the matrix
			for i := range p {
				p[i] = float32(r.NormFloat64() * spread)
				if spread == 0 {
					p[i] = float32(r.Float64() * -120)
				}
			}
			want, got := append([]float32(nil), p...), append([]float32(nil), p...)
			softmaxMasked(want[:S*S], S, keep)
			softmaxRows(got[:S*S], S, keep)
			for i := range want {
				if math.Float32bits(want[i]) != math.Float32bits(got[i]) {
					t.Fatalf("S %d, spread %g: p[%d] = %g in use, %g in Go", S, spread, i, got[i], want[i])
				}
			}
		}
		// Rows of ties, signed zeros, infinities and NaN, kept and masked:
		// the maximum the C loop takes eight lanes at a time must act as
		// the Go scan's (a NaN never wins; +0 and −0 tie).
		special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 3, -5, 88, -200,
			float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
		p := make([]float32, S*S)
		for i := range p {
			p[i] = special[r.IntN(len(special))]
			if r.IntN(4) != 0 { // mostly finite, so that most rows normalise
				p[i] = special[r.IntN(8)]
			}
		}
		want, got := append([]float32(nil), p...), append([]float32(nil), p...)
		softmaxMasked(want, S, keep)
		softmaxRows(got, S, keep)
		for i := range want {
			if math.Float32bits(want[i]) != math.Float32bits(got[i]) && (want[i] == want[i] || got[i] == got[i]) {
				t.Fatalf("S %d, special values: p[%d] = %g in use, %g in Go (row %v)", S, i, got[i], want[i], p[i/S*S:i/S*S+S])
			}
		}
		none := make([]float32, S)
		p = make([]float32, S*S)
		softmaxRows(p, S, none)
		for i, v := range p {
			if v != 0 {
				t.Fatalf("S %d, no key kept: p[%d] = %g, want 0", S, i, v)
			}
		}
	}
}

// TestSoftmaxGradRowsImplementationsAgree checks that the softmax
// backward rows in use (C and vectorised in the cgo build, assembly in the
// pure-Go build) give the same bits as softmaxGradRowsGo, for row lengths
// around the vector width.
func TestSoftmaxGradRowsImplementationsAgree(t *testing.T) {
	r := rng()
	for _, S := range []int{1, 7, 8, 9, 32, 129} {
		keep := make([]float32, S)
		for j := range keep {
			keep[j] = float32(r.IntN(4) % 3)
		}
		p := make([]float32, S*S)
		for i := range p {
			p[i] = float32(r.NormFloat64() * 3)
		}
		softmaxMasked(p, S, keep)
		dp := make([]float32, S*S+lanes) // lanes guard values past the matrix
		for i := range dp {
			dp[i] = float32(r.NormFloat64())
		}
		want, got := append([]float32(nil), dp...), append([]float32(nil), dp...)
		softmaxGradRowsGo(want[:S*S], p, S)
		softmaxGradRows(got[:S*S], p, S)
		if !identical(want, got) {
			t.Fatalf("S %d: the softmax gradient in use differs from the Go loop", S)
		}
		for i := 0; i < S; i++ { // rows of the gradient sum to 0 (Σ_j P_ij = 1)
			var sum, scale float64
			for j := 0; j < S; j++ {
				sum += float64(want[i*S+j])
				scale += math.Abs(float64(want[i*S+j]))
			}
			if math.Abs(sum) > 1e-6*(1+scale) {
				t.Fatalf("S %d, row %d: gradient sums to %g", S, i, sum)
			}
		}
	}
}

// TestLaneSum checks laneSum and laneDot against float64 sums, and the
// lane order they promise: element i in lane i mod 8.
func TestLaneSum(t *testing.T) {
	r := rng()
	for _, n := range []int{0, 1, 7, 8, 9, 31, 129, 1000} {
		x, y := make([]float32, n), make([]float32, n)
		var sx, sxy, ax, axy float64
		for i := range x {
			x[i], y[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
			sx += float64(x[i])
			sxy += float64(x[i]) * float64(y[i])
			ax += math.Abs(float64(x[i]))
			axy += math.Abs(float64(x[i]) * float64(y[i]))
		}
		if d := math.Abs(float64(laneSum(x)) - sx); d > 1e-6*ax {
			t.Errorf("n %d: laneSum off by %g", n, d)
		}
		if d := math.Abs(float64(laneDot(x, y)) - sxy); d > 1e-6*axy {
			t.Errorf("n %d: laneDot off by %g", n, d)
		}
	}
	// 2²⁴ + 1 + 1 is 2²⁴ in float32 when added in order; in separate lanes
	// the ones meet first.
	x := []float32{0x1p24, 1, 0, 0, 0, 0, 0, 0, 0, 1}
	if got := laneSum(x); got != 0x1p24+2 {
		t.Errorf("laneSum = %g, want 2²⁴ + 2 (lanes 1 and 1 added before lane 0)", got)
	}
}

// TestSpladeMaxRowsImplementationsAgree checks that SpladeMax's row
// reduction in use (C or Go assembly, vectorised, with AVX2) gives the same
// positions and bits as the Go loop: ties (the first position wins), NaN,
// ±0, −∞, masked positions (NaN masks count as real tokens, as in Go), rows
// with no real token, and lengths that are not a multiple of the vector
// width.
func TestSpladeMaxRowsImplementationsAgree(t *testing.T) {
	r := rng()
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(-1)),
		float32(math.Inf(1)), 2.5, -2.5, 3e38}
	for _, T := range []int{1, 7, 8, 9, 16, 24, 32, 40, 71, 128, 129} {
		const n, ldz = 64, 140
		z := make([]float32, n*ldz)
		for i := range z {
			z[i] = float32(r.NormFloat64())
			if r.IntN(6) == 0 {
				z[i] = special[r.IntN(len(special))]
			}
		}
		for j := 0; j < 4; j++ { // rows of −∞ and NaN only, and negatives only
			for u := range T {
				z[j*ldz+u] = []float32{float32(math.Inf(-1)), float32(math.NaN()), -1, -5}[j]
			}
		}
		c := make([]float32, n)
		for j := range c {
			c[j] = float32(r.NormFloat64())
		}
		partial, none := make([]float32, T), make([]float32, T)
		for u := range partial {
			partial[u] = []float32{1, 0, 1, float32(math.NaN()), -1}[r.IntN(5)]
		}
		for _, mask := range [][]float32{nil, partial, none} {
			wGo, wUse := make([]float32, n), make([]float32, n)
			aGo, aUse := make([]int32, n), make([]int32, n)
			spladeMaxRowsGo(z, ldz, T, mask, c, wGo, aGo)
			spladeMaxRows(z, ldz, T, mask, c, wUse, aUse)
			for j := range n {
				if aGo[j] != aUse[j] || math.Float32bits(wGo[j]) != math.Float32bits(wUse[j]) {
					t.Fatalf("T %d, mask %v, row %d: (%d, %g) in use, (%d, %g) in Go", T, mask, j, aUse[j], wUse[j], aGo[j], wGo[j])
				}
			}
		}
	}
}

// TestSpladeScatterImplementationsAgree checks that SpladeMax's backward
// row updates in use (C or Go assembly, vectorised, with AVX2) give the same bits
// as the Go loops, with zero and tiny weights, skipped pairs, and row
// lengths around and between multiples of the vector width.
func TestSpladeScatterImplementationsAgree(t *testing.T) {
	for _, H := range []int{3, 8, 37, 45, 64} {
		r := rng()
		const V, B, T, tile = 53, 5, 7, 16
		h, e := f32(randF32(r, 1, B*T*H)), f32(randF32(r, 1, V*H))
		g := f32(randF32(r, 1, B*V))
		argmax := make([]int32, B*V)
		for k := range argmax {
			argmax[k] = int32(r.IntN(T+2)) - 2 // about a quarter skipped
			switch r.IntN(8) {
			case 0:
				g[k] = 0
			case 1:
				g[k] = 1e-38
			}
		}
		de0, dh0 := f32(randF32(r, 1, V*H)), f32(randF32(r, 1, B*T*H))
		dc0 := f32(randF32(r, 1, V))
		deGo, dcGo, dhGo := append([]float32(nil), de0...), append([]float32(nil), dc0...), append([]float32(nil), dh0...)
		deUse, dcUse, dhUse := append([]float32(nil), de0...), append([]float32(nil), dc0...), append([]float32(nil), dh0...)
		spladeScatterEGo(h, g, argmax, deGo, dcGo, V, T, H, 3, V)
		spladeScatterE(h, g, argmax, deUse, dcUse, V, T, H, 3, V)
		spladeScatterHGo(e, g, argmax, dhGo, V, T, H, tile, 1, B)
		spladeScatterH(e, g, argmax, dhUse, V, T, H, tile, 1, B)
		for name, p := range map[string][2][]float32{"dE": {deGo, deUse}, "dc": {dcGo, dcUse}, "dh": {dhGo, dhUse}} {
			if !identical(p[0], p[1]) {
				t.Errorf("H %d: %s differs between the Go loop and the one in use", H, name)
			}
		}
		if identical(deGo, de0) || identical(dhGo, dh0) || identical(dcGo, dc0) {
			t.Fatalf("H %d: the updates changed nothing", H)
		}
	}
}
