//go:build !openblas

#include "textflag.h"

// ROW(addr, acc0, acc1) adds the A value at addr times b[0:16] (the B row
// in Y12:Y13) to the accumulators of one row of the tile.
#define ROW(addr, acc0, acc1) \
	VBROADCASTSS addr, Y14; \
	VFMADD231PS  Y12, Y14, acc0; \
	VFMADD231PS  Y13, Y14, acc1

// STEP(u) adds the outer product of a column of A (rows 0-2 at SI, SI+R9,
// SI+2·R9, rows 3-5 at R11, R11+R9, R11+2·R9) and a row of the B panel
// (16 floats at DI+64u) to the tile, then moves to A's next column.
#define STEP(u) \
	VMOVUPS (64*u)(DI), Y12; \
	VMOVUPS (64*u+32)(DI), Y13; \
	ROW((SI), Y0, Y1); \
	ROW((SI)(R9*1), Y2, Y3); \
	ROW((SI)(R9*2), Y4, Y5); \
	ROW((R11), Y6, Y7); \
	ROW((R11)(R9*1), Y8, Y9); \
	ROW((R11)(R9*2), Y10, Y11); \
	ADDQ R10, SI; \
	ADDQ R10, R11

// SCALE(acc, off) stores alpha·acc + beta·C[off] (alpha in Y14, beta in Y15).
#define SCALE(acc, off) \
	VMULPS  off(DX), Y15, Y12; \
	VMULPS  Y14, acc, acc; \
	VADDPS  Y12, acc, acc; \
	VMOVUPS acc, off(DX)

// STORE(acc, off) stores alpha·acc (alpha in Y14).
#define STORE(acc, off) \
	VMULPS  Y14, acc, acc; \
	VMOVUPS acc, off(DX)

// func sgemmKernel(kc int, a *float32, rsa, csa int, b, c *float32, ldc int, alpha, beta float32)
//
// Sets the 6×16 tile C (row stride ldc floats) to alpha·acc + beta·C, where
// acc[i][j] = Σ_p a[i·rsa+p·csa]·b[16p+j] over p = 0 … kc−1, accumulated
// from zero in p order with one FMA per term. alpha·acc and beta·C are
// rounded separately and then added (no FMA), as sgemmEpilogue does; with
// beta = ±0 C is not read.
TEXT ·sgemmKernel(SB), NOSPLIT, $0-64
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rsa+16(FP), R9
	SHLQ $2, R9
	MOVQ csa+24(FP), R10
	SHLQ $2, R10
	LEAQ (R9)(R9*2), R11
	ADDQ SI, R11
	MOVQ b+32(FP), DI
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R8
	SHLQ $2, R8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	CMPQ CX, $4
	JLT  tail

loop4:
	PREFETCHT0 512(DI)
	STEP(0)
	STEP(1)
	STEP(2)
	STEP(3)
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4

tail:
	TESTQ CX, CX
	JEQ   store

loop1:
	STEP(0)
	ADDQ $64, DI
	DECQ CX
	JNE  loop1

store:
	VBROADCASTSS alpha+56(FP), Y14
	MOVL         beta+60(FP), AX
	SHLL         $1, AX            // drop the sign bit: beta = ±0?
	JEQ          nobeta
	VBROADCASTSS beta+60(FP), Y15
	SCALE(Y0, 0)
	SCALE(Y1, 32)
	ADDQ R8, DX
	SCALE(Y2, 0)
	SCALE(Y3, 32)
	ADDQ R8, DX
	SCALE(Y4, 0)
	SCALE(Y5, 32)
	ADDQ R8, DX
	SCALE(Y6, 0)
	SCALE(Y7, 32)
	ADDQ R8, DX
	SCALE(Y8, 0)
	SCALE(Y9, 32)
	ADDQ R8, DX
	SCALE(Y10, 0)
	SCALE(Y11, 32)
	VZEROUPPER
	RET

nobeta:
	STORE(Y0, 0)
	STORE(Y1, 32)
	ADDQ R8, DX
	STORE(Y2, 0)
	STORE(Y3, 32)
	ADDQ R8, DX
	STORE(Y4, 0)
	STORE(Y5, 32)
	ADDQ R8, DX
	STORE(Y6, 0)
	STORE(Y7, 32)
	ADDQ R8, DX
	STORE(Y8, 0)
	STORE(Y9, 32)
	ADDQ R8, DX
	STORE(Y10, 0)
	STORE(Y11, 32)
	VZEROUPPER
	RET

// func packPieces16(dst, src *float32, ld, count int)
//
// Copies count pieces of 16 floats, piece p from src+p·ld, to dst one after
// the other.
TEXT ·packPieces16(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R8
	SHLQ $2, R8
	MOVQ count+24(FP), CX
	TESTQ CX, CX
	JEQ   done16

loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    R8, SI
	ADDQ    $64, DI
	DECQ    CX
	JNE     loop16
	VZEROUPPER

done16:
	RET
