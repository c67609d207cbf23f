//go:build !openblas

#include "textflag.h"

// The optimizer loops of adamw.go (adamwBlockGo, sumSquaresGo) eight
// elements at a time with AVX2, each operation the Go loop's in its order,
// every product rounded before it is added (no FMA). VSQRTPS is IEEE's
// correctly rounded square root, as float32(math.Sqrt(float64(v))) is.

// func adamwAVX2(p, grad, m, v *float32, n int, k *adamwStep, decay bool)
TEXT ·adamwAVX2(SB), NOSPLIT, $0-49
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ v+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), R9
	MOVBLZX decay+48(FP), R10
	// adamwStep{b1, c1, b2, c2, stepSize, sqrtBC2, eps, decay, scale}
	VBROADCASTSS 0(R9), Y8   // b1
	VBROADCASTSS 4(R9), Y9   // c1
	VBROADCASTSS 8(R9), Y10  // b2
	VBROADCASTSS 12(R9), Y11 // c2
	VBROADCASTSS 16(R9), Y12 // stepSize
	VBROADCASTSS 20(R9), Y13 // sqrtBC2
	VBROADCASTSS 24(R9), Y14 // eps
	VBROADCASTSS 28(R9), Y15 // decay factor
	XORQ AX, AX
	SHLQ $2, CX // bytes

loop:
	CMPQ    AX, CX
	JGE     done
	VMOVUPS (DI)(AX*1), Y0        // p
	TESTQ   R10, R10
	JZ      nodecay
	VMULPS  Y15, Y0, Y0           // p *= decay

nodecay:
	VBROADCASTSS 32(R9), Y1       // scale
	VMULPS  (SI)(AX*1), Y1, Y1    // gs = scale*g
	VMULPS  (DX)(AX*1), Y8, Y2    // b1*m
	VMULPS  Y1, Y9, Y3            // c1*gs
	VADDPS  Y3, Y2, Y2            // m = b1*m + c1*gs
	VMULPS  (R8)(AX*1), Y10, Y3   // b2*v
	VMULPS  Y1, Y11, Y4           // c2*gs
	VMULPS  Y1, Y4, Y4            // (c2*gs)*gs
	VADDPS  Y4, Y3, Y3            // v = b2*v + c2*gs*gs
	VSQRTPS Y3, Y4                // √v
	VDIVPS  Y13, Y4, Y4           // √v/sqrtBC2
	VADDPS  Y14, Y4, Y4           // den = … + eps
	VMULPS  Y2, Y12, Y5           // stepSize*m
	VDIVPS  Y4, Y5, Y5            // stepSize*m/den
	VSUBPS  Y5, Y0, Y0            // p −= …
	VMOVUPS Y2, (DX)(AX*1)
	VMOVUPS Y3, (R8)(AX*1)
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ    $32, AX
	JMP     loop

done:
	VZEROUPPER
	RET

// func sumSquaresAVX2(x *float32, n int, s *[8]float64)
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-24
	MOVQ    x+0(FP), SI
	MOVQ    n+8(FP), CX
	MOVQ    s+16(FP), DI
	VMOVUPD 0(DI), Y0  // partials 0–3
	VMOVUPD 32(DI), Y1 // partials 4–7
	XORQ    AX, AX
	SHLQ    $2, CX

sq:
	CMPQ      AX, CX
	JGE       sqDone
	VCVTPS2PD (SI)(AX*1), Y2
	VCVTPS2PD 16(SI)(AX*1), Y3
	VMULPD    Y2, Y2, Y2
	VMULPD    Y3, Y3, Y3
	VADDPD    Y2, Y0, Y0
	VADDPD    Y3, Y1, Y1
	ADDQ      $32, AX
	JMP       sq

sqDone:
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VZEROUPPER
	RET
