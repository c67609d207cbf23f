package nn

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// sgemm computes C = alpha·op(A)·op(B) + beta·C on row-major float32 slices
// with the blas32 implementation in use (pure Go by default, OpenBLAS with
// the openblas build tag). op(X) is Xᵀ when the matching flag is set.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	blas32.Implementation().Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// serialBLAS is set when the BLAS in use serialises concurrent calls
// (OpenBLAS built with NUM_PARALLEL=1, as Debian's is) and threads each call
// itself. Loops whose bodies call BLAS then run on one goroutine
// (parallelBLAS), leaving the cores to the BLAS threads.
var serialBLAS = false

// parallelBLAS is parallelFor for loop bodies that call sgemm.
func parallelBLAS(n int, fn func(lo, hi int)) {
	if serialBLAS {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	parallelFor(n, fn)
}

// parallelFor splits [0, n) into contiguous chunks and runs fn on each chunk
// in its own goroutine, one per available CPU.
func parallelFor(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, hi)
	}
	wg.Wait()
}

// axpy computes y += a·x for equal-length slices.
func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}

// dot returns Σ x_i·y_i for equal-length slices.
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return s0 + s1 + s2 + s3
}
