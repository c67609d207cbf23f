//go:build !openblas

#include "textflag.h"
#include "vec_amd64.h"

// layerNormRowsGo and layerNormGradRowsGo of layernorm.go with AVX2 (no
// FMA): the same float64 (statistics) and float32 operations in the same
// order, eight values at a time, as layernorm_openblas.go does in C. Value
// j of a row goes to partial sum j mod 8: lanes 0–3 and 4–7 of a vector
// of eight are the two float64 halves. A row's tail, its last t = h mod 8
// values, is one more vector read and written through the mask of its
// first t lanes (lnMask), which adds value hv+k to partial k as the Go loop
// does; the other lanes add +0, which leaves a partial as it is (partials
// start at +0, and a sum is −0 only when both terms are). Contributions
// that would not be +0 there are masked to +0 first. The partials are
// added as the tree ((0+1)+(2+3))+((4+5)+(6+7)).

// lnMask at byte 32−4t is the mask of the first t of eight lanes.
MASKTABLE(lnMask<>)

DATA lnOne<>+0(SB)/8, $1.0
GLOBL lnOne<>(SB), RODATA|NOPTR, $8

// TAILMASK(h, t, tmp) sets t = h mod 8, h to h − t (the vector part) and
// Y15 to the mask of the first t lanes.
#define TAILMASK(h, t, tmp) \
	MOVQ h, t; \
	ANDQ $7, t; \
	SUBQ t, h; \
	LANEMASK(lnMask<>, t, tmp)

// SUM8PD(lo, lox, hi, tmpx) sets the low lane of lo (lox its low half) to
// the tree sum of the eight partials lo[0:4], hi[0:4]: the first add gives
// 0+1, 4+5, 2+3, 6+7, the second (0+1)+(2+3), (4+5)+(6+7).
#define SUM8PD(lo, lox, hi, tmpx) \
	VHADDPD      hi, lo, lo; \
	VEXTRACTF128 $1, lo, tmpx; \
	VADDPD       tmpx, lox, lox; \
	VHADDPD      lox, lox, lox

// ADDPD8(v, vx, lo, hi, tmp) adds the eight float32 values of v
// (vx its low half), as float64, to the partials lo (lanes 0–3) and hi
// (lanes 4–7); v is overwritten.
#define ADDPD8(v, vx, lo, hi, tmp) \
	VCVTPS2PD    vx, tmp; \
	VADDPD       tmp, lo, lo; \
	VEXTRACTF128 $1, v, vx; \
	VCVTPS2PD    vx, tmp; \
	VADDPD       tmp, hi, hi

// func layerNormRowsAVX2(y, x, r, gamma, beta, mean, rstd *float32, n, h int, eps float64)
//
// layerNormRowsGo on n ≥ 1 rows of h ≥ 1 values; r may be nil.
TEXT ·layerNormRowsAVX2(SB), NOSPLIT, $0-80
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ r+16(FP), DX
	MOVQ gamma+24(FP), R8
	MOVQ beta+32(FP), R9
	MOVQ mean+40(FP), R10
	MOVQ rstd+48(FP), R11
	MOVQ n+56(FP), CX
	MOVQ h+64(FP), BX
	VCVTSI2SDQ BX, X12, X12 // float64(h)
	MOVQ BX, R12
	TAILMASK(R12, AX, R13)  // R12 = hv, AX = t
	VPMOVSXDQ    X15, Y14   // the tail mask of lanes 0–3 as float64 lanes
	VEXTRACTF128 $1, Y15, X13
	VPMOVSXDQ    X13, Y13   // of lanes 4–7
	VMOVSD       eps+72(FP), X11
	SHLQ         $2, BX     // the row stride in bytes

row:
	// Pass 1: the row x (+ r) into y, its float64 sum in Y0:Y1.
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ   R13, R13

sum:
	CMPQ    R13, R12
	JGE     sumtail
	VMOVUPS (SI)(R13*4), Y2
	TESTQ   DX, DX
	JEQ     2(PC)
	VADDPS  (DX)(R13*4), Y2, Y2
	VMOVUPS Y2, (DI)(R13*4)
	ADDPD8(Y2, X2, Y0, Y1, Y3)
	ADDQ    $8, R13
	JMP     sum

sumtail:
	TESTQ      AX, AX
	JEQ        mean
	VMASKMOVPS (SI)(R13*4), Y15, Y2
	TESTQ      DX, DX
	JEQ        3(PC)
	VMASKMOVPS (DX)(R13*4), Y15, Y3
	VADDPS     Y3, Y2, Y2
	VMASKMOVPS Y2, Y15, (DI)(R13*4)
	ADDPD8(Y2, X2, Y0, Y1, Y3)            // the other lanes add +0

mean:
	SUM8PD(Y0, X0, Y1, X2)
	VDIVSD       X12, X0, X4 // μ
	VBROADCASTSD X4, Y5

	// Pass 2: the sum of squared deviations from μ in Y0:Y1.
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ   R13, R13

dev:
	CMPQ         R13, R12
	JGE          devtail
	VMOVUPS      (DI)(R13*4), Y2
	VCVTPS2PD    X2, Y3
	VSUBPD       Y5, Y3, Y3
	VMULPD       Y3, Y3, Y3
	VADDPD       Y3, Y0, Y0
	VEXTRACTF128 $1, Y2, X2
	VCVTPS2PD    X2, Y3
	VSUBPD       Y5, Y3, Y3
	VMULPD       Y3, Y3, Y3
	VADDPD       Y3, Y1, Y1
	ADDQ         $8, R13
	JMP          dev

devtail:
	TESTQ        AX, AX
	JEQ          rstd
	VMASKMOVPS   (DI)(R13*4), Y15, Y2
	VCVTPS2PD    X2, Y3
	VSUBPD       Y5, Y3, Y3
	VANDPD       Y14, Y3, Y3 // the other lanes' deviations to +0
	VMULPD       Y3, Y3, Y3
	VADDPD       Y3, Y0, Y0
	VEXTRACTF128 $1, Y2, X2
	VCVTPS2PD    X2, Y3
	VSUBPD       Y5, Y3, Y3
	VANDPD       Y13, Y3, Y3
	VMULPD       Y3, Y3, Y3
	VADDPD       Y3, Y1, Y1

rstd:
	SUM8PD(Y0, X0, Y1, X2)
	VDIVSD       X12, X0, X0
	VADDSD       X11, X0, X0
	VSQRTSD      X0, X0, X0
	VMOVSD       lnOne<>(SB), X1
	VDIVSD       X0, X1, X0  // σ⁻¹ = 1/√(var + ε)
	VCVTSD2SS    X4, X4, X4  // float32(μ)
	VCVTSD2SS    X0, X0, X0  // float32(σ⁻¹)
	VMOVSS       X4, (R10)
	VMOVSS       X0, (R11)
	VBROADCASTSS X4, Y4
	VBROADCASTSS X0, Y0

	// Pass 3: y = (s − μ)·σ⁻¹·γ + β.
	XORQ R13, R13

scale:
	CMPQ    R13, R12
	JGE     scaletail
	VMOVUPS (DI)(R13*4), Y2
	VSUBPS  Y4, Y2, Y2
	VMULPS  Y0, Y2, Y2
	VMULPS  (R8)(R13*4), Y2, Y2
	VADDPS  (R9)(R13*4), Y2, Y2
	VMOVUPS Y2, (DI)(R13*4)
	ADDQ    $8, R13
	JMP     scale

scaletail:
	TESTQ      AX, AX
	JEQ        next
	VMASKMOVPS (DI)(R13*4), Y15, Y2
	VMASKMOVPS (R8)(R13*4), Y15, Y3
	VMASKMOVPS (R9)(R13*4), Y15, Y6
	VSUBPS     Y4, Y2, Y2
	VMULPS     Y0, Y2, Y2
	VMULPS     Y3, Y2, Y2
	VADDPS     Y6, Y2, Y2
	VMASKMOVPS Y2, Y15, (DI)(R13*4)

next:
	ADDQ  BX, DI
	ADDQ  BX, SI
	TESTQ DX, DX
	JEQ   2(PC)
	ADDQ  BX, DX
	ADDQ  $4, R10
	ADDQ  $4, R11
	DECQ  CX
	JNZ   row
	VZEROUPPER
	RET

// XHAT(v) sets v to ŝ = (x + r − μ)·σ⁻¹ at column R13 (x at SI, r at DX
// or nil, μ in Y6, σ⁻¹ in Y7).
#define XHAT(v) \
	VMOVUPS (SI)(R13*4), v; \
	TESTQ   DX, DX; \
	JEQ     2(PC); \
	VADDPS  (DX)(R13*4), v, v; \
	VSUBPS  Y6, v, v; \
	VMULPS  Y7, v, v

// XHATTAIL(v, tmp) is XHAT for the tail lanes (the others read as +0).
#define XHATTAIL(v, tmp) \
	VMASKMOVPS (SI)(R13*4), Y15, v; \
	TESTQ      DX, DX; \
	JEQ        3(PC); \
	VMASKMOVPS (DX)(R13*4), Y15, tmp; \
	VADDPS     tmp, v, v; \
	VSUBPS     Y6, v, v; \
	VMULPS     Y7, v, v

// GRAD1(xh, d, g, dgv, dbv) adds γ⊙dy (g = γ, d = dy) to the partials in
// Y0 and γ⊙dy⊙ŝ to those in Y1, and sets dgv to dgv + dy⊙ŝ and dbv to
// dbv + dy.
#define GRAD1(xh, d, g, dgv, dbv) \
	VMULPS g, d, g; \
	VADDPS g, Y0, Y0; \
	VMULPS xh, g, g; \
	VADDPS g, Y1, Y1; \
	VMULPS xh, d, xh; \
	VADDPS dgv, xh, dgv; \
	VADDPS d, dbv, dbv

// GRAD2(xh, gy) sets gy to σ⁻¹·(γ⊙dy − mean(g) − ŝ·mean(g⊙ŝ)) from
// gy = γ⊙dy and xh = ŝ (mean(g) in Y8, mean(g⊙ŝ) in Y9).
#define GRAD2(xh, gy) \
	VSUBPS Y8, gy, gy; \
	VMULPS Y9, xh, xh; \
	VSUBPS xh, gy, gy; \
	VMULPS gy, Y7, gy

// func layerNormGradRowsAVX2(dx, dr, dg, db, x, r, gamma, dy, mean, rstd *float32, n, h int)
//
// layerNormGradRowsGo on n ≥ 1 rows of h ≥ 1 values; r and dr may be nil.
TEXT ·layerNormGradRowsAVX2(SB), NOSPLIT, $0-96
	MOVQ dx+0(FP), DI
	MOVQ dr+8(FP), R9
	MOVQ dg+16(FP), R11
	MOVQ db+24(FP), R12
	MOVQ x+32(FP), SI
	MOVQ r+40(FP), DX
	MOVQ gamma+48(FP), R10
	MOVQ dy+56(FP), R8
	MOVQ h+88(FP), BX
	VCVTSI2SSQ BX, X10, X10 // float32(h)
	MOVQ BX, AX
	TAILMASK(AX, CX, R13)   // AX = hv; a tail when hv < h
	SHLQ $2, BX             // the row stride in bytes
	XORQ CX, CX             // the row

grow:
	MOVQ         mean+64(FP), R13
	VBROADCASTSS (R13)(CX*4), Y6
	MOVQ         rstd+72(FP), R13
	VBROADCASTSS (R13)(CX*4), Y7

	// Pass 1: the sums of γ⊙dy (Y0) and γ⊙dy⊙ŝ (Y1), dγ += dy⊙ŝ and
	// dβ += dy.
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ   R13, R13

gsum:
	CMPQ    R13, AX
	JGE     gsumtail
	XHAT(Y2)
	VMOVUPS (R8)(R13*4), Y3
	VMOVUPS (R10)(R13*4), Y4
	VMOVUPS (R11)(R13*4), Y5
	VMOVUPS (R12)(R13*4), Y11
	GRAD1(Y2, Y3, Y4, Y5, Y11)
	VMOVUPS Y5, (R11)(R13*4)
	VMOVUPS Y11, (R12)(R13*4)
	ADDQ    $8, R13
	JMP     gsum

gsumtail:
	CMPQ       AX, h+88(FP)
	JEQ        gmeans
	XHATTAIL(Y2, Y3)
	VANDPS     Y15, Y2, Y2 // ŝ to +0 in the other lanes
	VMASKMOVPS (R8)(R13*4), Y15, Y3
	VMASKMOVPS (R10)(R13*4), Y15, Y4
	VMASKMOVPS (R11)(R13*4), Y15, Y5
	VMASKMOVPS (R12)(R13*4), Y15, Y11
	GRAD1(Y2, Y3, Y4, Y5, Y11)
	VMASKMOVPS Y5, Y15, (R11)(R13*4)
	VMASKMOVPS Y11, Y15, (R12)(R13*4)

gmeans:
	SUM8PS(Y0, X0, X2)
	SUM8PS(Y1, X1, X2)
	VDIVSS       X10, X0, X0
	VDIVSS       X10, X1, X1
	VBROADCASTSS X0, Y8
	VBROADCASTSS X1, Y9

	// Pass 2: dx (and dr) = σ⁻¹·(γ⊙dy − mean(g) − ŝ·mean(g⊙ŝ)).
	XORQ R13, R13

gdx:
	CMPQ    R13, AX
	JGE     gdxtail
	XHAT(Y2)
	VMOVUPS (R10)(R13*4), Y3
	VMULPS  (R8)(R13*4), Y3, Y3
	GRAD2(Y2, Y3)
	VMOVUPS Y3, (DI)(R13*4)
	TESTQ   R9, R9
	JEQ     2(PC)
	VMOVUPS Y3, (R9)(R13*4)
	ADDQ    $8, R13
	JMP     gdx

gdxtail:
	CMPQ       AX, h+88(FP)
	JEQ        gnext
	XHATTAIL(Y2, Y3)
	VMASKMOVPS (R10)(R13*4), Y15, Y3
	VMASKMOVPS (R8)(R13*4), Y15, Y4
	VMULPS     Y4, Y3, Y3
	GRAD2(Y2, Y3)
	VMASKMOVPS Y3, Y15, (DI)(R13*4)
	TESTQ      R9, R9
	JEQ        2(PC)
	VMASKMOVPS Y3, Y15, (R9)(R13*4)

gnext:
	ADDQ  BX, DI
	ADDQ  BX, SI
	ADDQ  BX, R8
	TESTQ DX, DX
	JEQ   2(PC)
	ADDQ  BX, DX
	TESTQ R9, R9
	JEQ   2(PC)
	ADDQ  BX, R9
	INCQ  CX
	CMPQ  CX, n+80(FP)
	JLT   grow
	VZEROUPPER
	RET
