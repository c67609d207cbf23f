//go:build !openblas

#include "textflag.h"
#include "vec_amd64.h"

// The GELU row loops of gelu.go (geluRowsGo, geluGradRowsGo, with
// gaussTail of fastmath.go) eight values at a time with AVX2: the same
// float32 operations in the same order, a product never fused into an
// addition (no FMA), so each lane gives the Go loop's bits. The comments
// name the Go expressions.

C8(gelu_abs<>, 0x7fffffff)   // clears the sign bit: abs32
C8(gelu_hi12<>, 0xfffff000)  // a's high 12 bits: ah
C8(gelu_max<>, 0x41533333)   // gaussTailMax = 13.2
C8(gelu_half<>, 0x3f000000)  // 0.5, also exp's first coefficient 5.0000001201e-1
C8(gelu_one<>, 0x3f800000)   // 1
C8(gelu_nhalf<>, 0xbf000000) // −0.5
C8(gelu_p1<>, 0x3ee0685c)    // 0x1.c0d0b8p-2
C8(gelu_p2<>, 0x3e3ba23a)    // 0x1.774474p-3
C8(gelu_p3<>, 0x3d266f5e)    // 0x1.4cdebcp-5
C8(gelu_p4<>, 0x3b86e282)    // 0x1.0dc504p-8
C8(gelu_d1<>, 0x3fd65546)    // 0x1.acaa8cp+0
C8(gelu_d2<>, 0x3f99ebbf)    // 0x1.33d77ep+0
C8(gelu_d3<>, 0x3ef05ec7)    // 0x1.e0bd8ep-2
C8(gelu_d4<>, 0x3dd09bc9)    // 0x1.a13792p-4
C8(gelu_d5<>, 0x3c290d14)    // 0x1.521a28p-7
C8(gelu_log2e<>, 0x3fb8aa3b) // float32(math.Log2E)
C8(gelu_round<>, 0x4b400000) // 0x1.8p23
C8(gelu_ln2hi<>, 0x3f318000) // 0.693359375
C8(gelu_ln2lo<>, 0xb95e8083) // −2.12194440e-4
C8(gelu_e6<>, 0x3e2aaaaa)    // 1.6666665459e-1
C8(gelu_e3<>, 0x3d2aa9c1)    // 4.1665795894e-2
C8(gelu_e4<>, 0x3c088908)    // 8.3334519073e-3
C8(gelu_e1<>, 0x3ab743ce)    // 1.3981999507e-3
C8(gelu_e2<>, 0x39506967)    // 1.9875691500e-4
C8(gelu_bias<>, 0x4b3fff81)  // 0x4b400000 − 127: kr's bits − this, << 23, = 2^k
C8(gelu_isq<>, 0x3ecc422a)   // invSqrt2Pi = 0x1.988454p-2

// GAUSS takes z = x + b in Y0 and leaves gaussTail(abs32(z)) in Y4 (q)
// and Y9 (g), both 0 from gaussTailMax on (and for NaN), as gaussTail
// returns; it uses Y1-Y10. Where a ≥ gaussTailMax it runs on a = 0 and
// zeroes g, as the C loop does (elementwise_openblas.go).
#define GAUSS \
	VANDPS  gelu_abs<>(SB), Y0, Y1 /* a = abs32(z) */; \
	VCMPPS  $1, gelu_max<>(SB), Y1, Y2 /* in = a < gaussTailMax (false for NaN) */; \
	VANDPS  Y2, Y1, Y1 /* a = 0 where !in: any value works, the results are zeroed */; \
	VMULPS  Y1, Y1, Y3 /* a2 = s = a*a */; \
	VMULPS  gelu_p1<>(SB), Y1, Y4; \
	VADDPS  gelu_half<>(SB), Y4, Y4 /* 0.5 + a*p1 */; \
	VMULPS  gelu_p3<>(SB), Y1, Y5; \
	VADDPS  gelu_p2<>(SB), Y5, Y5 /* p2 + a*p3 */; \
	VMULPS  gelu_p4<>(SB), Y3, Y6; \
	VADDPS  Y6, Y5, Y5 /* (p2 + a*p3) + a2*p4 */; \
	VMULPS  Y5, Y3, Y5; \
	VADDPS  Y5, Y4, Y4 /* p */; \
	VMULPS  gelu_d1<>(SB), Y1, Y5; \
	VADDPS  gelu_one<>(SB), Y5, Y5 /* 1 + a*d1 */; \
	VMULPS  gelu_d5<>(SB), Y1, Y6; \
	VADDPS  gelu_d4<>(SB), Y6, Y6; \
	VMULPS  Y6, Y3, Y6 /* a2*(d4 + a*d5) */; \
	VMULPS  gelu_d3<>(SB), Y1, Y7; \
	VADDPS  gelu_d2<>(SB), Y7, Y7; \
	VADDPS  Y6, Y7, Y7; \
	VMULPS  Y7, Y3, Y7; \
	VADDPS  Y7, Y5, Y5 /* d */; \
	VDIVPS  Y5, Y4, Y4 /* p / d */; \
	VANDPS  gelu_hi12<>(SB), Y1, Y5 /* ah */; \
	VSUBPS  Y5, Y1, Y6 /* al = a − ah */; \
	VMULPS  Y5, Y5, Y7; \
	VSUBPS  Y3, Y7, Y7 /* ah*ah − s */; \
	VADDPS  Y5, Y5, Y8; \
	VMULPS  Y6, Y8, Y8; \
	VADDPS  Y8, Y7, Y7 /* + (ah+ah)*al */; \
	VMULPS  Y6, Y6, Y8; \
	VADDPS  Y8, Y7, Y7 /* e = … + al*al */; \
	VMULPS  gelu_nhalf<>(SB), Y3, Y5 /* x = −0.5*s */; \
	VMULPS  gelu_log2e<>(SB), Y5, Y6; \
	VADDPS  gelu_round<>(SB), Y6, Y6 /* kr = x*log2e + 0x1.8p23 */; \
	VSUBPS  gelu_round<>(SB), Y6, Y8 /* kf = kr − 0x1.8p23 */; \
	VMULPS  gelu_ln2hi<>(SB), Y8, Y9; \
	VSUBPS  Y9, Y5, Y5; \
	VMULPS  gelu_ln2lo<>(SB), Y8, Y9; \
	VSUBPS  Y9, Y5, Y5 /* r = x − kf*ln2hi − kf*ln2lo */; \
	VMULPS  Y5, Y5, Y8 /* r2 */; \
	VMULPS  gelu_e2<>(SB), Y5, Y9; \
	VADDPS  gelu_e1<>(SB), Y9, Y9; \
	VMULPS  Y9, Y8, Y9 /* r2*(e1 + r*e2) */; \
	VMULPS  gelu_e4<>(SB), Y5, Y10; \
	VADDPS  gelu_e3<>(SB), Y10, Y10; \
	VADDPS  Y9, Y10, Y10; \
	VMULPS  Y10, Y8, Y10 /* r2*((e3 + r*e4) + …) */; \
	VMULPS  gelu_e6<>(SB), Y5, Y9; \
	VADDPS  gelu_half<>(SB), Y9, Y9; \
	VADDPS  Y10, Y9, Y9 /* t = (e5 + r*e6) + … */; \
	VMULPS  Y8, Y9, Y9; \
	VADDPS  Y5, Y9, Y9; \
	VADDPS  gelu_one<>(SB), Y9, Y9 /* t*r2 + r + 1 */; \
	VPSUBD  gelu_bias<>(SB), Y6, Y6; \
	VPSLLD  $23, Y6, Y6 /* 2^k */; \
	VMULPS  Y6, Y9, Y9 /* g */; \
	VMULPS  gelu_half<>(SB), Y7, Y7; \
	VMULPS  Y7, Y9, Y7; \
	VSUBPS  Y7, Y9, Y9 /* g −= g*(0.5*e) */; \
	VANDPS  Y2, Y9, Y9 /* g = 0 where !in */; \
	VMULPS  Y9, Y4, Y4 /* q = p/d*g */

// PHI leaves Φ(z) = bySign(z, q, 1 − q) in Y5: the blend takes q where
// z's sign bit is set.
#define PHI \
	VMOVUPS   gelu_one<>(SB), Y5; \
	VSUBPS    Y4, Y5, Y5; \
	VBLENDVPS Y0, Y4, Y5, Y5

// func geluRowAVX2(y, x, b *float32, n int)
//
// y[j] = z·Φ(z), z = x[j] + b[j], for j < n, n a multiple of 8.
TEXT ·geluRowAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	XORQ AX, AX
	SHLQ $2, CX // bytes

fwd:
	CMPQ    AX, CX
	JGE     fwdDone
	VMOVUPS (SI)(AX*1), Y0
	VADDPS  (DX)(AX*1), Y0, Y0 // z = x + b
	GAUSS
	PHI
	VMULPS  Y5, Y0, Y5         // y = z*Φ(z)
	VMOVUPS Y5, (DI)(AX*1)
	ADDQ    $32, AX
	JMP     fwd

fwdDone:
	VZEROUPPER
	RET

// func geluGradRowAVX2(dx, x, b, dy, share *float32, n int)
//
// dx[j] = dy[j]·(Φ(z) + z·φ(z)), z = x[j] + b[j], and share[j] += dx[j],
// for j < n, n a multiple of 8.
TEXT ·geluGradRowAVX2(SB), NOSPLIT, $0-48
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ dy+24(FP), R8
	MOVQ share+32(FP), R9
	MOVQ n+40(FP), CX
	XORQ AX, AX
	SHLQ $2, CX

bwd:
	CMPQ    AX, CX
	JGE     bwdDone
	VMOVUPS (SI)(AX*1), Y0
	VADDPS  (DX)(AX*1), Y0, Y0 // z = x + b
	GAUSS
	PHI
	VMULPS  gelu_isq<>(SB), Y9, Y6 // φ(z) = g*invSqrt2Pi
	VMULPS  Y6, Y0, Y6             // z*φ(z)
	VADDPS  Y6, Y5, Y5             // Φ(z) + z*φ(z)
	VMULPS  (R8)(AX*1), Y5, Y5     // d = dy*(…)
	VMOVUPS Y5, (DI)(AX*1)
	VMOVUPS (R9)(AX*1), Y6
	VADDPS  Y5, Y6, Y6             // share += d
	VMOVUPS Y6, (R9)(AX*1)
	ADDQ    $32, AX
	JMP     bwd

bwdDone:
	VZEROUPPER
	RET
