//go:build !openblas

package nn

import "gonum.org/v1/gonum/blas/blas32"

// BLAS names the BLAS implementation in use: pure-Go gonum by default,
// "openblas" with the openblas build tag.
const BLAS = "gonum"

// BLASCore names the kernels the BLAS runs.
var BLASCore = "pure Go"

// Where the CPU runs the assembly micro-kernel (AVX2 and FMA), Sgemm is
// goGEMM's: single-threaded calls, large products split by rows over the
// CPUs (gemmSplit) as with OpenBLAS. Elsewhere gonum's Sgemm runs, which
// parallelises every call itself (gemmInternal); GODEBUG=cpu.avx2=off
// (read by golang.org/x/sys/cpu) selects it on any CPU, for comparison.
func init() {
	if haveGEMMKernel {
		blas32.Use(goGEMM{})
		largeGEMM = gemmSplit
		BLASCore = "pure Go, AVX2+FMA kernel"
	}
}

// setBLASThreads makes goGEMM's calls split their rows over the CPUs
// (n > 1) or not.
func setBLASThreads(n int) { gemmThreaded.Store(n > 1) }
