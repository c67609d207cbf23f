//go:build openblas

package nn

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
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
// OpenBLAS is limited to one thread per call and the kernels parallelise
// on goroutines themselves: concurrent single-threaded calls run in
// parallel (each thread gets its own buffer; 0.3.21 reaches ~210 GFLOP/s on
// two cores this way, against ~230 threaded), while OpenBLAS's own workers
// serialise concurrent calls and, between calls, spin on sched_yield for up
// to 2²⁸ cycles, taking a core from the elementwise passes that follow
// every product. Large products go through sgemmRows, which splits them by
// rows (splitGEMM). This applies to every OpenBLAS user in the process.
func init() {
	C.openblas_set_num_threads(1)
	splitGEMM = true
	impl := netlib.Implementation{}
	blas32.Use(impl)
	blas64.Use(impl)
	gorgonia.Use(impl)
}

// BLAS names the BLAS implementation in use.
const BLAS = "openblas"
