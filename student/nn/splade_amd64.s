//go:build !openblas

#include "textflag.h"

// The SpladeMax row loops of splade.go with AVX2, as splade_openblas.go
// does them in C: the maximum of each row eight lanes at a time, then the
// first position holding it, which is the position the Go scan keeps (it
// only moves on a strictly larger value); and the backward row updates
// y += a·x as a product, then a sum (no FMA), eight columns at a time.

DATA splade_ninf<>+0(SB)/4, $0xff800000 // −∞
GLOBL splade_ninf<>(SB), RODATA|NOPTR, $4

// LOAD_NOMASK(t, dst) and LOAD_MASK(t, dst) load z[t:t+8] of the row at
// SI (t a register) into dst; LOAD_MASK reads the positions that the mask
// at DX marks as padding (mask = 0) as −∞. A NaN mask value counts as a
// real token, as mask[t] != 0 does in Go (NEQ_UQ).
#define LOAD_NOMASK(t, dst) VMOVUPS (SI)(t*4), dst

#define LOAD_MASK(t, dst) \
	VCMPPS    $4, (DX)(t*4), Y14, Y13; \
	VBLENDVPS Y13, (SI)(t*4), Y15, dst

// MAXROWS(LOAD, labels…) sets arg[j] for the n rows of spladeMaxArgs,
// reading the rows with LOAD; the labels name its loops apart from the
// other copy's. VMAXPS returns its second source in Intel's order (the
// accumulator) when the first (the new value) is NaN, so a NaN never wins
// and the four accumulators never hold one; their maximum over the lanes
// is then the same in any order. The first position equal to it (EQ_OQ:
// never a NaN), among the real tokens, is the Go scan's.
#define MAXROWS(LOAD, row, max4, max1, lanes, find, found, store) \
row: \
	VMOVAPS Y15, Y0; \
	VMOVAPS Y15, Y1; \
	VMOVAPS Y15, Y2; \
	VMOVAPS Y15, Y3; \
	XORQ    AX, AX; \
	LEAQ    -32(CX), BX; \
max4: \
	CMPQ    AX, BX; \
	JGT     max1; \
	LOAD(AX, Y4); \
	VMAXPS  Y0, Y4, Y0; \
	LEAQ    8(AX), R10; \
	LOAD(R10, Y5); \
	VMAXPS  Y1, Y5, Y1; \
	LEAQ    16(AX), R10; \
	LOAD(R10, Y6); \
	VMAXPS  Y2, Y6, Y2; \
	LEAQ    24(AX), R10; \
	LOAD(R10, Y7); \
	VMAXPS  Y3, Y7, Y3; \
	ADDQ    $32, AX; \
	JMP     max4; \
max1: \
	CMPQ    AX, CX; \
	JGE     lanes; \
	LOAD(AX, Y4); \
	VMAXPS  Y0, Y4, Y0; \
	ADDQ    $8, AX; \
	JMP     max1; \
lanes: \
	VMAXPS       Y1, Y0, Y0; \
	VMAXPS       Y3, Y2, Y2; \
	VMAXPS       Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VMAXPS       X1, X0, X0; \
	VMOVHLPS     X0, X0, X1; \
	VMAXPS       X1, X0, X0; \
	VMOVSHDUP    X0, X1; \
	VMAXPS       X1, X0, X0; \
	MOVL         $-1, R11; \
	VMOVD        X0, BX; \
	CMPL         BX, $0xff800000; \
	JEQ          store /* no real value above −∞ */; \
	VBROADCASTSS X0, Y1; \
	XORQ         AX, AX; \
find: \
	CMPQ      AX, CX; \
	JGE       store; \
	LOAD(AX, Y4); \
	VCMPPS    $0, Y1, Y4, Y4; \
	VMOVMSKPS Y4, BX; \
	TESTL     BX, BX; \
	JNZ       found; \
	ADDQ      $8, AX; \
	JMP       find; \
found: \
	BSFL      BX, R11; \
	ADDL      AX, R11; \
store: \
	MOVL R11, (DI); \
	ADDQ R8, SI; \
	ADDQ $4, DI; \
	DECQ R9; \
	JNZ  row

// func spladeMaxArgs(z *float32, ldz, t8 int, mask *float32, arg *int32, n int)
//
// Sets arg[j], for the n rows j of logits at z[j·ldz:], to the first
// position t < t8 (t8 a positive multiple of 8) of the largest z_jt among
// the real tokens (mask[t] ≠ 0; all of them with a nil mask), or to −1
// where none is above −∞. NaN logits are never the largest.
TEXT ·spladeMaxArgs(SB), NOSPLIT, $0-48
	MOVQ         z+0(FP), SI
	MOVQ         ldz+8(FP), R8
	SHLQ         $2, R8
	MOVQ         t8+16(FP), CX
	MOVQ         mask+24(FP), DX
	MOVQ         arg+32(FP), DI
	MOVQ         n+40(FP), R9
	TESTQ        R9, R9
	JZ           done
	VBROADCASTSS splade_ninf<>(SB), Y15
	VXORPS       Y14, Y14, Y14
	TESTQ        DX, DX
	JNZ          masked
	MAXROWS(LOAD_NOMASK, nrow, nmax4, nmax1, nlanes, nfind, nfound, nstore)
	JMP          done

masked:
	MAXROWS(LOAD_MASK, mrow, mmax4, mmax1, mlanes, mfind, mfound, mstore)

done:
	VZEROUPPER
	RET

// func spladeAxpyRows(x, y, grad *float32, arg *int32, n, stride, xi, xt, yt, h int, dc *float32)
//
// For the n pairs i, with k = i·stride and t = arg[k] ≥ 0 (pairs with
// t < 0 are skipped), adds a·x_i to y_i over h columns, a = grad[k], where
// x_i = x[i·xi + t·xt:] and y_i = y[t·yt:]: y + a·x, rounding the
// product and then the sum, as axpy does. With a non-nil dc it also adds
// each a to *dc, in pair order.
TEXT ·spladeAxpyRows(SB), NOSPLIT, $0-88
	MOVQ   x+0(FP), SI
	MOVQ   y+8(FP), DI
	MOVQ   grad+16(FP), R8
	MOVQ   arg+24(FP), R9
	MOVQ   n+32(FP), CX
	MOVQ   stride+40(FP), R10
	SHLQ   $2, R10
	MOVQ   xi+48(FP), R11
	SHLQ   $2, R11
	MOVQ   h+72(FP), R12
	MOVQ   dc+80(FP), R13
	TESTQ  CX, CX
	JZ     done
	VXORPS X14, X14, X14
	TESTQ  R13, R13
	JZ     pair
	VMOVSS (R13), X14

pair:
	MOVLQSX (R9), AX
	TESTQ   AX, AX
	JS      next
	VBROADCASTSS (R8), Y15
	MOVQ    AX, BX
	IMULQ   xt+56(FP), BX
	LEAQ    (SI)(BX*4), BX // x_i
	IMULQ   yt+64(FP), AX
	LEAQ    (DI)(AX*4), AX // y_i
	MOVQ    R12, DX        // columns left

cols32:
	CMPQ    DX, $32
	JLT     cols8
	VMULPS  (BX), Y15, Y0
	VMULPS  32(BX), Y15, Y1
	VMULPS  64(BX), Y15, Y2
	VMULPS  96(BX), Y15, Y3
	VMOVUPS (AX), Y4
	VMOVUPS 32(AX), Y5
	VMOVUPS 64(AX), Y6
	VMOVUPS 96(AX), Y7
	VADDPS  Y0, Y4, Y4
	VADDPS  Y1, Y5, Y5
	VADDPS  Y2, Y6, Y6
	VADDPS  Y3, Y7, Y7
	VMOVUPS Y4, (AX)
	VMOVUPS Y5, 32(AX)
	VMOVUPS Y6, 64(AX)
	VMOVUPS Y7, 96(AX)
	ADDQ    $128, AX
	ADDQ    $128, BX
	SUBQ    $32, DX
	JMP     cols32

cols8:
	CMPQ    DX, $8
	JLT     cols1
	VMULPS  (BX), Y15, Y0
	VMOVUPS (AX), Y4
	VADDPS  Y0, Y4, Y4
	VMOVUPS Y4, (AX)
	ADDQ    $32, AX
	ADDQ    $32, BX
	SUBQ    $8, DX
	JMP     cols8

cols1:
	TESTQ  DX, DX
	JZ     sum
	VMULSS (BX), X15, X0
	VMOVSS (AX), X4
	VADDSS X0, X4, X4
	VMOVSS X4, (AX)
	ADDQ   $4, AX
	ADDQ   $4, BX
	DECQ   DX
	JMP    cols1

sum:
	VADDSS X15, X14, X14 // *dc += a (unused without dc)

next:
	ADDQ R10, R8
	ADDQ R10, R9
	ADDQ R11, SI
	DECQ CX
	JNZ  pair
	TESTQ  R13, R13
	JZ     done
	VMOVSS X14, (R13)

done:
	VZEROUPPER
	RET
