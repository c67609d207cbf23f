//go:build !openblas

#include "textflag.h"

// addRowsGo of blas.go with AVX2, as rowsums_openblas.go does in C: each
// column's sum runs over the rows in order, eight columns at a time, so
// the bits are those of the Go loop (y + 1·x = y + x exactly). Rows of up
// to 2,048 columns (the bias gradients) are summed 32 columns at a time
// down all rows, the sums in registers, then 8 at a time; wider rows (the
// MLM decoder's bias, 30,522 columns) row after row, which reads each row
// sequentially.

// func addRowsAVX2(dst, src *float32, rows, m, ld int)
//
// addRowsGo on rows ≥ 1 rows of m columns, m a multiple of 8, row r at
// src + r·ld.
TEXT ·addRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), CX
	MOVQ m+24(FP), BX
	MOVQ ld+32(FP), DX
	SHLQ $2, DX         // the row stride in bytes
	CMPQ BX, $2048
	JGT  byrow
	XORQ R8, R8         // the column

tile32:
	LEAQ    32(R8), AX
	CMPQ    AX, BX
	JGT     tile8
	VMOVUPS (DI)(R8*4), Y0
	VMOVUPS 32(DI)(R8*4), Y1
	VMOVUPS 64(DI)(R8*4), Y2
	VMOVUPS 96(DI)(R8*4), Y3
	LEAQ    (SI)(R8*4), R9
	MOVQ    CX, R10

down32:
	VADDPS 0(R9), Y0, Y0
	VADDPS 32(R9), Y1, Y1
	VADDPS 64(R9), Y2, Y2
	VADDPS 96(R9), Y3, Y3
	ADDQ   DX, R9
	DECQ   R10
	JNZ    down32
	VMOVUPS Y0, (DI)(R8*4)
	VMOVUPS Y1, 32(DI)(R8*4)
	VMOVUPS Y2, 64(DI)(R8*4)
	VMOVUPS Y3, 96(DI)(R8*4)
	MOVQ    AX, R8
	JMP     tile32

tile8:
	CMPQ    R8, BX
	JGE     done
	VMOVUPS (DI)(R8*4), Y0
	LEAQ    (SI)(R8*4), R9
	MOVQ    CX, R10

down8:
	VADDPS (R9), Y0, Y0
	ADDQ   DX, R9
	DECQ   R10
	JNZ    down8
	VMOVUPS Y0, (DI)(R8*4)
	ADDQ    $8, R8
	JMP     tile8

byrow:
	XORQ R8, R8

across:
	VMOVUPS (DI)(R8*4), Y0
	VADDPS  (SI)(R8*4), Y0, Y0
	VMOVUPS Y0, (DI)(R8*4)
	ADDQ    $8, R8
	CMPQ    R8, BX
	JLT     across
	ADDQ    DX, SI
	DECQ    CX
	JNZ     byrow

done:
	VZEROUPPER
	RET
