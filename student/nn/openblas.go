//go:build openblas

package nn

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
	"gorgonia.org/gorgonia"
)

// With the openblas build tag, the kernels, gorgonia and gonum use OpenBLAS
// (cgo; Debian: apt-get install libopenblas-dev) instead of pure-Go BLAS.
//
// OpenBLAS threads each call and serialises concurrent calls, so the kernels
// issue their products from one goroutine (see serialBLAS).
func init() {
	serialBLAS = true
	impl := netlib.Implementation{}
	blas32.Use(impl)
	blas64.Use(impl)
	gorgonia.Use(impl)
}

// BLAS names the BLAS implementation in use.
const BLAS = "openblas"
