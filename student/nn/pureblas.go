//go:build !openblas

package nn

// BLAS names the BLAS implementation in use: pure-Go gonum by default,
// "openblas" with the openblas build tag. Gonum parallelises every product
// itself (gemmInternal).
const BLAS = "gonum"

func setBLASThreads(int) {}

// BLASCore names the kernels the BLAS runs.
var BLASCore = "pure Go"
