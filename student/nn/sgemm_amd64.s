//go:build !openblas

#include "textflag.h"

// ROW(ao, acc0, acc1) adds a[ao/4]·b[0:16] (the B row in Y12:Y13) to the
// accumulators of one row of the tile.
#define ROW(ao, acc0, acc1) \
	VBROADCASTSS ao(SI), Y14; \
	VFMADD231PS  Y12, Y14, acc0; \
	VFMADD231PS  Y13, Y14, acc1

// STEP(u) adds the outer product of a column of the A panel (6 floats at
// SI+24u) and a row of the B panel (16 floats at DI+64u) to the tile.
#define STEP(u) \
	VMOVUPS (64*u)(DI), Y12; \
	VMOVUPS (64*u+32)(DI), Y13; \
	ROW(24*u, Y0, Y1); \
	ROW(24*u+4, Y2, Y3); \
	ROW(24*u+8, Y4, Y5); \
	ROW(24*u+12, Y6, Y7); \
	ROW(24*u+16, Y8, Y9); \
	ROW(24*u+20, Y10, Y11)

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

// func sgemmKernel(kc int, a, b, c *float32, ldc int, alpha, beta float32)
//
// Sets the 6×16 tile C (row stride ldc floats) to alpha·acc + beta·C, where
// acc[i][j] = Σ_p a[6p+i]·b[16p+j] over p = 0 … kc−1, accumulated from zero
// in p order with one FMA per term. alpha·acc and beta·C are rounded
// separately and then added (no FMA), as sgemmEpilogue does; with beta = ±0
// C is not read.
TEXT ·sgemmKernel(SB), NOSPLIT, $0-48
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
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
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4

tail:
	TESTQ CX, CX
	JEQ   store

loop1:
	STEP(0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNE  loop1

store:
	VBROADCASTSS alpha+40(FP), Y14
	MOVL         beta+44(FP), AX
	SHLL         $1, AX            // drop the sign bit: beta = ±0?
	JEQ          nobeta
	VBROADCASTSS beta+44(FP), Y15
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
