//go:build !openblas

#include "textflag.h"
#include "vec_amd64.h"

// The attention softmax loops of attention.go (softmaxMasked with exp32 of
// fastmath.go, softmaxGradRowsGo with laneDot) eight values at a time with
// AVX2: the same float32 operations in the same order, a product never
// fused into an addition (no FMA), so each lane gives the Go loop's bits.
// The comments name the Go expressions.
//
// A row's last S mod 8 values go through the same vector code, loaded and
// stored with VMASKMOVPS under the mask in Y15 (its first S mod 8 lanes
// set): a masked load reads 0 into the other lanes, which drop out of
// every result. Tail value j lands in lane j mod 8, where laneSum and
// laneDot add it; the lanes they add +0 to are never −0 (they start at +0,
// and a round-to-nearest sum is −0 only if both terms are), so x + 0 = x.

C8(softmax_log2e<>, 0x3fb8aa3b) // float32(math.Log2E)
C8(softmax_k0<>, 0x43804000)    // 256.5
C8(softmax_k256<>, 0x00000100)  // int32 256
C8(softmax_ln2hi<>, 0x3f318000) // 0.693359375
C8(softmax_ln2lo<>, 0xb95e8083) // −2.12194440e-4
C8(softmax_c0<>, 0x39506967)    // 1.9875691500e-4
C8(softmax_c1<>, 0x3ab743ce)    // 1.3981999507e-3
C8(softmax_c2<>, 0x3c088908)    // 8.3334519073e-3
C8(softmax_c3<>, 0x3d2aa9c1)    // 4.1665795894e-2
C8(softmax_c4<>, 0x3e2aaaaa)    // 1.6666665459e-1
C8(softmax_c5<>, 0x3f000000)    // 5.0000001201e-1
C8(softmax_one<>, 0x3f800000)   // 1
C8(softmax_k127<>, 0x0000007f)  // int32 127
C8(softmax_k253<>, 0x000000fd)  // int32 253
C8(softmax_kmin<>, 0xffffff81)  // int32 −127: k > −127 is !(k < −126)
C8(softmax_tiny<>, 0x00800000)  // 0x1p-126
C8(softmax_lo<>, 0xc2d00000)    // expLo = −104
C8(softmax_hi<>, 0x42b17217)    // expHi = 88.72283
C8(softmax_inf<>, 0x7f800000)   // +Inf
C8(softmax_ninf<>, 0xff800000)  // −Inf

// softmax_tail<>+4·(8−t) holds t set lanes, then clear ones: the mask of
// a row's last t = S mod 8 values.
MASKTABLE(softmax_tail<>)

// EXP takes x in Y0 and leaves exp32(x) in Y1; it uses Y2-Y6. The body
// runs on every lane; the lanes where exp32 returns early (x < expLo,
// x > expHi, NaN) are then given its early results.
#define EXP \
	VMULPS       softmax_log2e<>(SB), Y0, Y2 /* float32(x*math.Log2E) */; \
	VADDPS       softmax_k0<>(SB), Y2, Y2 /* + 256.5 */; \
	VCVTTPS2DQ   Y2, Y2 /* int32(…), truncated */; \
	VPSUBD       softmax_k256<>(SB), Y2, Y2 /* k = … − 256 */; \
	VCVTDQ2PS    Y2, Y3 /* kf = float32(k) */; \
	VMULPS       softmax_ln2hi<>(SB), Y3, Y4 /* float32(kf*0.693359375) */; \
	VSUBPS       Y4, Y0, Y4 /* x − … */; \
	VMULPS       softmax_ln2lo<>(SB), Y3, Y3 /* float32(kf*-2.12194440e-4) */; \
	VSUBPS       Y3, Y4, Y3 /* r = … − … */; \
	VMULPS       softmax_c0<>(SB), Y3, Y4 /* p = float32(p*r) … */; \
	VADDPS       softmax_c1<>(SB), Y4, Y4 /* + 1.3981999507e-3 */; \
	VMULPS       Y3, Y4, Y4; \
	VADDPS       softmax_c2<>(SB), Y4, Y4 /* + 8.3334519073e-3 */; \
	VMULPS       Y3, Y4, Y4; \
	VADDPS       softmax_c3<>(SB), Y4, Y4 /* + 4.1665795894e-2 */; \
	VMULPS       Y3, Y4, Y4; \
	VADDPS       softmax_c4<>(SB), Y4, Y4 /* + 1.6666665459e-1 */; \
	VMULPS       Y3, Y4, Y4; \
	VADDPS       softmax_c5<>(SB), Y4, Y4 /* + 5.0000001201e-1 */; \
	VMULPS       Y3, Y4, Y4 /* float32(p*r*r) = (p*r)*r */; \
	VMULPS       Y3, Y4, Y4; \
	VADDPS       Y3, Y4, Y4 /* + r */; \
	VADDPS       softmax_one<>(SB), Y4, Y4 /* y = … + 1 */; \
	VPADDD       softmax_k127<>(SB), Y2, Y5 /* uint32(k+127)<<23 */; \
	VPSLLD       $23, Y5, Y5; \
	VMULPS       Y5, Y4, Y5 /* y * 2^k */; \
	VPADDD       softmax_k253<>(SB), Y2, Y6 /* uint32(k+253)<<23 */; \
	VPSLLD       $23, Y6, Y6; \
	VMULPS       Y6, Y4, Y6 /* y * 2^(k+126) */; \
	VMULPS       softmax_tiny<>(SB), Y6, Y6 /* * 0x1p-126 */; \
	VPCMPGTD     softmax_kmin<>(SB), Y2, Y2 /* !(k < -126) */; \
	VBLENDVPS    Y2, Y5, Y6, Y1; \
	VCMPPS       $1, softmax_lo<>(SB), Y0, Y2 /* x < expLo: 0 */; \
	VANDNPS      Y1, Y2, Y1; \
	VCMPPS       $0x1e, softmax_hi<>(SB), Y0, Y2 /* x > expHi: +Inf */; \
	VBLENDVPS    Y2, softmax_inf<>(SB), Y1, Y1; \
	VCMPPS       $3, Y0, Y0, Y2 /* x != x: x */; \
	VBLENDVPS    Y2, Y0, Y1, Y1

// TAILMASK loads into Y15 the mask of a row's last AX = S mod 8 values; it
// uses R9.
#define TAILMASK LANEMASK(softmax_tail<>, AX, R9)

// func softmaxRowsAVX2(p *float32, S int, keep *float32)
//
// softmaxMasked on the S×S matrix at p (S > 0), keep[0:S] the mask.
TEXT ·softmaxRowsAVX2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), DI
	MOVQ S+8(FP), CX
	MOVQ keep+16(FP), SI
	MOVQ CX, DX
	ANDQ $~7, DX   // DX: the values in whole vectors
	MOVQ CX, AX
	ANDQ $7, AX    // AX: the rest
	TAILMASK
	MOVQ CX, R11
	SHLQ $2, R11   // R11: the row stride in bytes
	MOVQ CX, R8    // R8: rows left
	VXORPS Y12, Y12, Y12

row:
	// mx: the largest kept x of the row. VMAXPS Y14, Y0, Y14 is
	// x > mx ? x : mx, the Go scan's step, and a masked x is made a NaN
	// (all bits set), which never compares greater. Taken lane by lane
	// and the lanes then reduced, the maximum is the Go scan's: it does
	// not depend on the order, except that +0 and −0 tie, and x − (±0)
	// differs only for x = −0, whose exp32 is 1 either way.
	VBROADCASTSS softmax_ninf<>(SB), Y14
	XORQ         BX, BX

max8:
	CMPQ    BX, DX
	JGE     maxtail
	VCMPPS  $0, (SI)(BX*4), Y12, Y1 // keep[j] == 0 (not for NaN, as in Go)
	VORPS   (DI)(BX*4), Y1, Y0
	VMAXPS  Y14, Y0, Y14
	ADDQ    $8, BX
	JMP     max8

maxtail:
	TESTQ      AX, AX
	JZ         maxlanes
	VMASKMOVPS (SI)(BX*4), Y15, Y1
	VCMPPS     $0, Y1, Y12, Y1 // the lanes past the row read keep = 0
	VMASKMOVPS (DI)(BX*4), Y15, Y0
	VORPS      Y0, Y1, Y0
	VMAXPS     Y14, Y0, Y14

maxlanes:
	VEXTRACTF128 $1, Y14, X0
	VMAXPS       X0, X14, X14
	VPERMILPS    $0x4e, X14, X0
	VMAXPS       X0, X14, X14
	VPERMILPS    $0xb1, X14, X0
	VMAXPS       X0, X14, X14
	VBROADCASTSS X14, Y14

	// row[j] = exp32(x − mx) where keep[j] ≠ 0, else 0, the sum in Y13's
	// lanes as laneSum adds them.
	VXORPS Y13, Y13, Y13
	XORQ   BX, BX

exp8:
	CMPQ    BX, DX
	JGE     exptail
	VMOVUPS (DI)(BX*4), Y0
	VSUBPS  Y14, Y0, Y0 // x − mx
	EXP
	VCMPPS  $0, (SI)(BX*4), Y12, Y2
	VANDNPS Y1, Y2, Y1
	VMOVUPS Y1, (DI)(BX*4)
	VADDPS  Y1, Y13, Y13
	ADDQ    $8, BX
	JMP     exp8

exptail:
	TESTQ      AX, AX
	JZ         sum
	VMASKMOVPS (DI)(BX*4), Y15, Y0
	VSUBPS     Y14, Y0, Y0
	EXP
	VMASKMOVPS (SI)(BX*4), Y15, Y2
	VCMPPS     $0, Y2, Y12, Y2
	VANDNPS    Y1, Y2, Y1
	VMASKMOVPS Y1, Y15, (DI)(BX*4)
	VADDPS     Y1, Y13, Y13

sum:
	// if sum > 0 { row[j] *= 1 / sum }
	SUM8PS(Y13, X13, X0)
	VCMPSS       $0x1e, X12, X13, X1 // sum > 0 (false for NaN)
	VMOVD        X1, R9
	TESTL        R9, R9
	JZ           next
	VMOVSS       softmax_one<>(SB), X1
	VDIVSS       X13, X1, X1 // inv = 1 / sum
	VBROADCASTSS X1, Y1
	XORQ         BX, BX

scale8:
	CMPQ    BX, DX
	JGE     scaletail
	VMULPS  (DI)(BX*4), Y1, Y0
	VMOVUPS Y0, (DI)(BX*4)
	ADDQ    $8, BX
	JMP     scale8

scaletail:
	TESTQ      AX, AX
	JZ         next
	VMASKMOVPS (DI)(BX*4), Y15, Y0
	VMULPS     Y1, Y0, Y0
	VMASKMOVPS Y0, Y15, (DI)(BX*4)

next:
	ADDQ R11, DI
	DECQ R8
	JNZ  row
	VZEROUPPER
	RET

// func softmaxGradRowsAVX2(dp, p *float32, S int)
//
// softmaxGradRowsGo on the S×S matrices at dp and p (S > 0).
TEXT ·softmaxGradRowsAVX2(SB), NOSPLIT, $0-24
	MOVQ dp+0(FP), DI
	MOVQ p+8(FP), SI
	MOVQ S+16(FP), CX
	MOVQ CX, DX
	ANDQ $~7, DX   // DX: the values in whole vectors
	MOVQ CX, AX
	ANDQ $7, AX    // AX: the rest
	TAILMASK
	MOVQ CX, R11
	SHLQ $2, R11   // R11: the row stride in bytes
	MOVQ CX, R8    // R8: rows left

grow:
	// s = laneDot(pr, dr)
	VXORPS Y13, Y13, Y13
	XORQ   BX, BX

dot8:
	CMPQ    BX, DX
	JGE     dottail
	VMOVUPS (SI)(BX*4), Y0
	VMULPS  (DI)(BX*4), Y0, Y0 // float32(u*v)
	VADDPS  Y0, Y13, Y13
	ADDQ    $8, BX
	JMP     dot8

dottail:
	TESTQ      AX, AX
	JZ         dotlanes
	VMASKMOVPS (SI)(BX*4), Y15, Y0
	VMASKMOVPS (DI)(BX*4), Y15, Y1
	VMULPS     Y1, Y0, Y0
	VADDPS     Y0, Y13, Y13

dotlanes:
	SUM8PS(Y13, X13, X0)
	VBROADCASTSS X13, Y14

	// dr[j] = pr[j] * (dr[j] − s)
	XORQ BX, BX

grad8:
	CMPQ    BX, DX
	JGE     gradtail
	VMOVUPS (DI)(BX*4), Y0
	VSUBPS  Y14, Y0, Y0
	VMULPS  (SI)(BX*4), Y0, Y0
	VMOVUPS Y0, (DI)(BX*4)
	ADDQ    $8, BX
	JMP     grad8

gradtail:
	TESTQ      AX, AX
	JZ         gnext
	VMASKMOVPS (DI)(BX*4), Y15, Y0
	VSUBPS     Y14, Y0, Y0
	VMASKMOVPS (SI)(BX*4), Y15, Y1
	VMULPS     Y1, Y0, Y0
	VMASKMOVPS Y0, Y15, (DI)(BX*4)

gnext:
	ADDQ R11, DI
	ADDQ R11, SI
	DECQ R8
	JNZ  grow
	VZEROUPPER
	RET
