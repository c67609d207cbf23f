package nn

import "math"

// This file holds the scalar special functions of the kernels' elementwise
// passes (GELU, softmax, SPLADE's saturation): exp and erf from short
// polynomials, accurate to float32 resolution and several times cheaper
// than math.Exp and math.Erf. Go does not vectorise, so float64 arithmetic
// costs no more than float32; but on amd64 a float32↔float64 conversion
// writes only part of its destination register and so depends on that
// register's previous value, which can chain the iterations of a loop that
// calls a non-inlined function. Loops over float32 data therefore either
// use exp32 (float32 throughout) or write the float64 formulas out inline
// from the inlinable pieces (erfP, erfQ, expTaylor, pow2); fastmath_test.go
// checks all of them against the math package.

const (
	// expLo is the smallest argument with a non-zero float32 e^x (the
	// smallest subnormal is 2⁻¹⁴⁹ ≈ e^−103.28).
	expLo = -104
	// expHi is the largest argument with a finite float32 e^x.
	expHi = 88.72283
)

// expRange returns e^t for t in [expLo, expHi] in float64:
//
//	t = k·ln2 + r,  k = round(t/ln2),  |r| ≤ ln2/2
//	e^t = 2^k · Σ_{i≤7} rⁱ/i!
//
// The Taylor remainder is below 6e-9 relative, a tenth of float32's unit
// roundoff. The GELU row loops (gelu.go) repeat this body inline.
func expRange(t float64) float64 {
	k := int(t*math.Log2E+1024.5) - 1024 // floor(t/ln2 + ½); the argument is positive
	return expTaylor(t-float64(k)*math.Ln2) * pow2(k)
}

// expTaylor returns Σ_{i≤7} rⁱ/i!, e^r for |r| ≤ ln2/2.
func expTaylor(r float64) float64 {
	p := 1.0 / 5040
	p = p*r + 1.0/720
	p = p*r + 1.0/120
	p = p*r + 1.0/24
	p = p*r + 1.0/6
	p = p*r + 0.5
	p = p*r + 1
	return p*r + 1
}

// pow2 returns 2^k for k in [−1022, 1023].
func pow2(k int) float64 { return math.Float64frombits(uint64(k+1023) << 52) }

// exp32 returns e^x in float32 arithmetic (Cody–Waite reduction and
// Cephes' expf polynomial), within 2 ulp of the exact value. It avoids
// float32↔float64 conversions, which on amd64 carry a false dependency on
// their destination register that can serialise a loop of calls.
//
// Special cases:
//
//	exp32(x) = 0    for x < −104 (and x = −Inf)
//	exp32(x) = +Inf for x > 88.72283
//	exp32(NaN) = NaN
func exp32(x float32) float32 {
	switch {
	case x < expLo:
		return 0
	case x > expHi:
		return float32(math.Inf(1))
	case x != x:
		return x
	}
	k := int32(x*math.Log2E+256.5) - 256 // floor(x/ln2 + ½); the argument is positive
	kf := float32(k)
	r := x - kf*0.693359375 - kf*-2.12194440e-4 // ln2 split so that kf·hi is exact
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	y := p*r*r + r + 1
	if k < -126 { // subnormal result: scale in two steps, rounding once
		return y * math.Float32frombits(uint32(k+253)<<23) * 0x1p-126
	}
	return y * math.Float32frombits(uint32(k+127)<<23)
}

// erfRational returns erf(x) for |x| ≤ 4 as the rational minimax
// approximation x·P(x²)/Q(x²) of Eigen and XLA's float32 erf, here evaluated
// in float64: the error is below 1e-7 absolute and 1.3e-7 relative over
// [−4, 4]. Beyond ±4, where erf(x) rounds to ±1 in float32, it returns ±1
// exactly, so that Φ(z) = ½·(1 + erf(z/√2)) is exactly 0 far in the lower
// tail. The GELU row loop (gelu.go) repeats this body inline.
func erfRational(x float64) float64 {
	switch {
	case x > 4:
		return 1
	case x < -4:
		return -1
	}
	x2 := x * x
	return x * erfP(x2) / erfQ(x2)
}

// erfP and erfQ are the numerator and denominator polynomials of
// erfRational in x².
func erfP(x2 float64) float64 {
	p := -2.72614225801306e-10
	p = p*x2 + 2.77068142495902e-08
	p = p*x2 - 2.10102402082508e-06
	p = p*x2 - 5.69250639462346e-05
	p = p*x2 - 7.34990630326855e-04
	p = p*x2 - 2.95459980854025e-03
	return p*x2 - 1.60960333262415e-02
}

func erfQ(x2 float64) float64 {
	q := -1.45660718464996e-05
	q = q*x2 - 2.13374055278905e-04
	q = q*x2 - 1.68282697438203e-03
	q = q*x2 - 7.37332916720468e-03
	return q*x2 - 1.42647390514189e-02
}

// erf32 returns erf(x) rounded to float32, within 1.3e-7 relative of the
// exact value.
//
// Special cases:
//
//	erf32(±Inf) = ±1
//	erf32(NaN) = NaN
func erf32(x float32) float32 {
	if x != x {
		return x
	}
	return float32(erfRational(float64(x)))
}
