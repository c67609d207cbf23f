package nn

import "math"

// This file holds the scalar special functions of the kernels' elementwise
// passes (GELU, softmax, SPLADE's saturation) in float32 arithmetic:
// exp32 and the Gaussian tail from short polynomials, accurate to a few
// float32 ulps and several times cheaper than math.Exp and math.Erfc. Each
// is a fixed sequence of float32 operations (no FMA, no reassociation), so
// that the C loops of the cgo build (elementwise_openblas.go), which repeat
// them eight lanes at a time, give the same bits; fastmath_test.go checks
// them against the math package. Staying in float32 also avoids float32↔
// float64 conversions, which on amd64 carry a false dependency on their
// destination register that can serialise a loop of calls.
//
// Every product that an addition or a subtraction takes is converted
// explicitly, float32(a*b): the Go spec lets a compiler fuse a*b + c into
// one FMA, rounding once, and Go does with GOAMD64=v3, which would change
// the bits; the conversion forbids it. The Go loops that C mirrors
// elsewhere (gelu.go, attention.go, layernorm.go, training's adamw.go) do
// the same.

const (
	// expLo is the smallest argument with a non-zero float32 e^x (the
	// smallest subnormal is 2⁻¹⁴⁹ ≈ e^−103.28).
	expLo = -104
	// expHi is the largest argument with a finite float32 e^x.
	expHi = 88.72283
)

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
	k := int32(float32(x*math.Log2E)+256.5) - 256 // floor(x/ln2 + ½); the argument is positive
	kf := float32(k)
	r := x - float32(kf*0.693359375) - float32(kf*-2.12194440e-4) // ln2 split so that kf·hi is exact
	p := float32(1.9875691500e-4)
	p = float32(p*r) + 1.3981999507e-3
	p = float32(p*r) + 8.3334519073e-3
	p = float32(p*r) + 4.1665795894e-2
	p = float32(p*r) + 1.6666665459e-1
	p = float32(p*r) + 5.0000001201e-1
	y := float32(p*r*r) + r + 1
	if k < -126 { // subnormal result: scale in two steps, rounding once
		return y * math.Float32frombits(uint32(k+253)<<23) * 0x1p-126
	}
	return y * math.Float32frombits(uint32(k+127)<<23)
}

// gaussTail returns q = Φ(−a), the standard normal's upper tail beyond
// a ≥ 0, and g = e^(−a²/2), so that φ(a) = g/√(2π):
//
//	q = R(a)·g,  R(a) = P₄(a)/Q₅(a)
//
// R is a rational minimax approximation of the Mills ratio Φ(−a)·e^(a²/2)
// on [0, 14.5] (fitted with coefficients rounded to float32; its own error
// is below 0.6 ulp), evaluated by Horner's rule with positive coefficients.
// a² is rounded to float32 as s; its rounding error e is recovered exactly
// by Dekker's product with a split into 12-bit halves, and g computed as
// exp32's body at −s/2 corrected by the factor (1 − e/2), so that g keeps
// its relative accuracy where a²/2 is large. q is within 8 ulp and g
// within 2 (fastmath_test.go measures the worst cases).
//
// Special cases: from gaussTailMax on (+Inf and NaN included), where
// e^(−a²/2) is no longer a normal float32, q = g = 0.
func gaussTail(a float32) (q, g float32) {
	if !(a < gaussTailMax) {
		return 0, 0
	}
	a2 := float32(a * a) // rounded: s below
	p := (0.5 + float32(a*0x1.c0d0b8p-2)) + float32(a2*((0x1.774474p-3+float32(a*0x1.4cdebcp-5))+float32(a2*0x1.0dc504p-8)))
	d := (1 + float32(a*0x1.acaa8cp+0)) +
		float32(a2*((0x1.33d77ep+0+float32(a*0x1.e0bd8ep-2))+float32(a2*(0x1.a13792p-4+float32(a*0x1.521a28p-7)))))
	s := a2
	ah := math.Float32frombits(math.Float32bits(a) &^ 0xfff) // the high 12 bits of a
	al := a - ah
	e := ((float32(ah*ah) - s) + float32((ah+ah)*al)) + float32(al*al) // a² − s, exactly
	// exp32(x) for x = −s/2 in [−87.12, 0], where 2^k is normal, with k
	// rounded to nearest by adding 1.5·2²³ (whose float32 spacing is 1)
	// rather than through int↔float conversions.
	x := -0.5 * s
	kr := float32(x*math.Log2E) + 0x1.8p23
	kf := kr - 0x1.8p23
	r := x - float32(kf*0.693359375) - float32(kf*-2.12194440e-4)
	r2 := float32(r * r)
	t := (5.0000001201e-1 + float32(r*1.6666665459e-1)) +
		float32(r2*((4.1665795894e-2+float32(r*8.3334519073e-3))+float32(r2*(1.3981999507e-3+float32(r*1.9875691500e-4)))))
	g = (float32(t*r2) + r + 1) * math.Float32frombits((math.Float32bits(kr)-0x4b400000+127)<<23) // ·2^k
	g -= float32(g * (0.5 * e))
	return float32(p / d * g), g // callers take 1 − q: no FMA
}

// gaussTailMax bounds gaussTail's arguments: e^(−a²/2) is a normal
// float32 below it. Φ(−13.2) ≈ 5e-40 is subnormal, so GELU is within 2⁻¹²⁸
// of 0 beyond it.
const gaussTailMax = 13.2

// invSqrt2Pi is 1/√(2π) rounded to float32.
const invSqrt2Pi = float32(0x1.988454p-2)

// abs32 returns |x| by clearing the sign bit.
func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }
