//go:build !openblas

package nn

import "golang.org/x/sys/cpu"

// haveGEMMKernel reports whether the CPU (and OS) run the assembly
// micro-kernel: AVX2 and FMA.
var haveGEMMKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// sgemmKernel computes one gemmMR×gemmNR tile of C from gemmMR rows of
// op(A) (row i, column p at a[i·rsa+p·csa]) and a packed B panel
// (sgemm_amd64.s).
//
//go:noescape
func sgemmKernel(kc int, a *float32, rsa, csa int, b, c *float32, ldc int, alpha, beta float32)

// packPieces16 copies count pieces of 16 floats, piece p from src+p·ld, to
// dst one after the other (sgemm_amd64.s).
//
//go:noescape
func packPieces16(dst, src *float32, ld, count int)
