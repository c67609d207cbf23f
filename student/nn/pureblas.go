//go:build !openblas

package nn

// BLAS names the BLAS implementation in use: pure-Go gonum by default,
// "openblas" with the openblas build tag.
const BLAS = "gonum"
