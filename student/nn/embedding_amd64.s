//go:build !openblas

#include "textflag.h"

// embedRowsGo and embedGradColsGo of embedding.go with AVX2, as
// embedding_openblas.go does them in C: the same float32 sums ((word +
// position) + type forward; each gradient row added token after token
// backward, y + 1·x being y + x exactly), eight columns at a time and the
// last h mod 8 one at a time. The word embedding rows are scattered over
// the whole vocabulary matrix; both loops prefetch the one of the token
// AHEAD places on.

#define AHEAD 4

// func embedRowsAVX2(x *float32, ids, types *int, w, p, t *float32, s0, S, H, n int)
//
// Sets x's row i (H floats, rows one after another) to w's row ids[i] +
// p's row s + t's row types[i] (row 0 with a nil types) for the n tokens
// i, where s runs on from s0 and wraps to 0 at S.
TEXT ·embedRowsAVX2(SB), NOSPLIT, $0-80
	MOVQ  x+0(FP), DI
	MOVQ  ids+8(FP), SI
	MOVQ  types+16(FP), R8
	MOVQ  w+24(FP), R9
	MOVQ  p+32(FP), R10
	MOVQ  t+40(FP), R11
	MOVQ  s0+48(FP), R12
	MOVQ  n+72(FP), CX
	TESTQ CX, CX
	JZ    fdone

frow:
	CMPQ       CX, $AHEAD
	JLE        fword
	MOVQ       (AHEAD*8)(SI), AX
	IMULQ      H+64(FP), AX
	LEAQ       (R9)(AX*4), AX
	MOVQ       H+64(FP), R13
fpre:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $16, R13
	JG         fpre

fword:
	MOVQ  (SI), AX
	IMULQ H+64(FP), AX
	LEAQ  (R9)(AX*4), AX // word row
	MOVQ  R12, BX
	IMULQ H+64(FP), BX
	LEAQ  (R10)(BX*4), BX // position row
	MOVQ  R11, DX         // type row
	TESTQ R8, R8
	JZ    fcols
	MOVQ  (R8), R13
	IMULQ H+64(FP), R13
	LEAQ  (R11)(R13*4), DX
	ADDQ  $8, R8

fcols:
	MOVQ H+64(FP), R13 // columns left

fcols32:
	CMPQ    R13, $32
	JLT     fcols8
	VMOVUPS (AX), Y0
	VMOVUPS 32(AX), Y1
	VMOVUPS 64(AX), Y2
	VMOVUPS 96(AX), Y3
	VADDPS  (BX), Y0, Y0
	VADDPS  32(BX), Y1, Y1
	VADDPS  64(BX), Y2, Y2
	VADDPS  96(BX), Y3, Y3
	VADDPS  (DX), Y0, Y0
	VADDPS  32(DX), Y1, Y1
	VADDPS  64(DX), Y2, Y2
	VADDPS  96(DX), Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, AX
	ADDQ    $128, BX
	ADDQ    $128, DX
	ADDQ    $128, DI
	SUBQ    $32, R13
	JMP     fcols32

fcols8:
	CMPQ    R13, $8
	JLT     fcols1
	VMOVUPS (AX), Y0
	VADDPS  (BX), Y0, Y0
	VADDPS  (DX), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, AX
	ADDQ    $32, BX
	ADDQ    $32, DX
	ADDQ    $32, DI
	SUBQ    $8, R13
	JMP     fcols8

fcols1:
	TESTQ  R13, R13
	JZ     fnext
	VMOVSS (AX), X0
	VADDSS (BX), X0, X0
	VADDSS (DX), X0, X0
	VMOVSS X0, (DI)
	ADDQ   $4, AX
	ADDQ   $4, BX
	ADDQ   $4, DX
	ADDQ   $4, DI
	DECQ   R13
	JMP    fcols1

fnext:
	INCQ R12
	CMPQ R12, S+56(FP)
	JLT  fwrap
	XORQ R12, R12

fwrap:
	ADDQ $8, SI
	DECQ CX
	JNZ  frow

fdone:
	VZEROUPPER
	RET

// ADD(y) adds Y0 to the eight floats at y.
#define ADD(y) \
	VMOVUPS (y), Y1; \
	VADDPS  Y0, Y1, Y1; \
	VMOVUPS Y1, (y)

// ADD1(y) adds X0's first float to the one at y.
#define ADD1(y) \
	VMOVSS (y), X1; \
	VADDSS X0, X1, X1; \
	VMOVSS X1, (y)

// func embedGradColsAVX2(dw, dp, dt, dx *float32, ids, types *int, S, H, m, n int)
//
// For the n tokens i, adds the m floats at dx + i·H to those at the same
// column of dw's row ids[i], dp's row s and dt's row types[i] (row 0 with
// a nil types), in that order, where s = i mod S; the rows of all four
// matrices are H floats apart.
TEXT ·embedGradColsAVX2(SB), NOSPLIT, $0-80
	MOVQ  dw+0(FP), R9
	MOVQ  dp+8(FP), R10
	MOVQ  dt+16(FP), R11
	MOVQ  dx+24(FP), DI
	MOVQ  ids+32(FP), SI
	MOVQ  types+40(FP), R8
	XORQ  R12, R12
	MOVQ  n+72(FP), CX
	TESTQ CX, CX
	JZ    bdone

brow:
	CMPQ       CX, $AHEAD
	JLE        bword
	MOVQ       (AHEAD*8)(SI), AX
	IMULQ      H+56(FP), AX
	LEAQ       (R9)(AX*4), AX
	MOVQ       m+64(FP), R13
bpre:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	SUBQ       $16, R13
	JG         bpre

bword:
	MOVQ  (SI), AX
	IMULQ H+56(FP), AX
	LEAQ  (R9)(AX*4), AX // word row
	MOVQ  R12, BX
	IMULQ H+56(FP), BX
	LEAQ  (R10)(BX*4), BX // position row
	MOVQ  R11, DX         // type row
	TESTQ R8, R8
	JZ    bcols
	MOVQ  (R8), R13
	IMULQ H+56(FP), R13
	LEAQ  (R11)(R13*4), DX
	ADDQ  $8, R8

bcols:
	MOVQ m+64(FP), R13 // columns left

bcols8:
	CMPQ    R13, $8
	JLT     bcols1
	VMOVUPS (DI), Y0
	ADD(AX)
	ADD(BX)
	ADD(DX)
	ADDQ    $32, AX
	ADDQ    $32, BX
	ADDQ    $32, DX
	ADDQ    $32, DI
	SUBQ    $8, R13
	JMP     bcols8

bcols1:
	TESTQ  R13, R13
	JZ     bnext
	VMOVSS (DI), X0
	ADD1(AX)
	ADD1(BX)
	ADD1(DX)
	ADDQ   $4, AX
	ADDQ   $4, BX
	ADDQ   $4, DX
	ADDQ   $4, DI
	DECQ   R13
	JMP    bcols1

bnext:
	MOVQ H+56(FP), AX // on to the next token's row of dx
	SUBQ m+64(FP), AX
	LEAQ (DI)(AX*4), DI
	INCQ R12
	CMPQ R12, S+48(FP)
	JLT  bwrap
	XORQ R12, R12

bwrap:
	ADDQ $8, SI
	DECQ CX
	JNZ  brow

bdone:
	VZEROUPPER
	RET
