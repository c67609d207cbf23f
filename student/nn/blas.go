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

// How large products use the CPUs. With gemmSplit (OpenBLAS with one
// thread per call) sgemmLarge splits a product into single-threaded calls
// on goroutines; with gemmBLASThreads it hands the whole product to the
// BLAS's own threads (OpenBLAS), which share packed panels between
// threads; with gemmInternal (pure-Go gonum) the BLAS parallelises every
// call itself.
type gemmMode int

const (
	gemmInternal gemmMode = iota
	gemmSplit
	gemmBLASThreads
)

// largeGEMM is how sgemmLarge runs products (set by the BLAS in use).
var largeGEMM = gemmInternal

// splitMinMACs is the size (m·n·k multiply-adds) from which sgemmLarge
// uses more than one thread.
const splitMinMACs = 1 << 22

// minSplitRows and minSplitDepth bound the blocks of a split product: a
// single-threaded call packs all of its op(B) (k×n) for its rows of C, so
// blocks of few rows spend their time packing; when C has too few rows the
// product is split along k instead, into partial products added in order.
const (
	minSplitRows  = 128
	minSplitDepth = 256
)

// sgemmLarge is sgemm for a product that may be large and is not issued
// from inside a parallel loop; it runs the product on all CPUs as
// largeGEMM says.
func sgemmLarge(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	workers := runtime.GOMAXPROCS(0)
	if largeGEMM == gemmInternal || workers < 2 || m*n*k < splitMinMACs {
		sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if largeGEMM == gemmBLASThreads {
		blasThreadsMu.Lock()
		setBLASThreads(workers)
		sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		setBLASThreads(1)
		blasThreadsMu.Unlock()
		return
	}
	if m < minSplitRows*workers && k >= minSplitDepth*workers {
		sgemmSplitK(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	parallelFor(m, func(lo, hi int) {
		off := lo * lda // first row of op(A) = A
		if transA {
			off = lo // first row of op(A) = first column of A
		}
		sgemm(transA, transB, hi-lo, n, k, alpha, a[off:], lda, b, ldb, beta, c[lo*ldc:], ldc)
	})
}

// splitScratch holds the partial products of sgemmSplitK, shared by all
// products (one at a time) so that memory does not grow with the number of
// layers.
var splitScratch struct {
	sync.Mutex
	buf []float32
}

// blasThreadsMu serialises the products that raise the BLAS's thread
// count (a process-wide setting) for their duration.
var blasThreadsMu sync.Mutex

// sgemmSplitK computes the product as a sum over one block of k per
// worker: each block's partial product goes to its own m×n buffer and the
// partials are added to β·C in block order, so the result does not depend
// on scheduling.
func sgemmSplitK(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	workers, chunk := chunking(k)
	splitScratch.Lock()
	defer splitScratch.Unlock()
	if len(splitScratch.buf) < workers*m*n {
		splitScratch.buf = make([]float32, workers*m*n)
	}
	parts := splitScratch.buf
	parallelFor(k, func(lo, hi int) {
		aoff, boff := lo, lo*ldb // op(A) columns lo…, op(B) rows lo…
		if transA {
			aoff = lo * lda
		}
		if transB {
			boff = lo
		}
		w := lo / chunk
		sgemm(transA, transB, m, n, hi-lo, alpha, a[aoff:], lda, b[boff:], ldb, 0, parts[w*m*n:(w+1)*m*n], n)
	})
	parallelFor(m, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				copy(row, parts[i*n:(i+1)*n])
			} else {
				if beta != 1 {
					for j := range row {
						row[j] *= beta
					}
				}
				axpy(1, parts[i*n:(i+1)*n], row)
			}
			for w := 1; w < workers; w++ {
				axpy(1, parts[(w*m+i)*n:(w*m+i+1)*n], row)
			}
		}
	})
}

// parallelFor splits [0, n) into contiguous chunks and runs fn on each chunk
// in its own goroutine, one per available CPU (see chunking).
func parallelFor(n int, fn func(lo, hi int)) {
	workers, chunk := chunking(n)
	if workers <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	var wg sync.WaitGroup
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

// chunking returns how parallelFor splits [0, n): into workers chunks of
// chunk indices (the last one shorter), chunk lo/chunk starting at lo.
func chunking(n int) (workers, chunk int) {
	workers = min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		return 1, max(n, 1)
	}
	chunk = (n + workers - 1) / workers
	return (n + chunk - 1) / chunk, chunk
}

// sumRowsInto sets dst[j] = Σ_r src[r·m+j] over the rows of the row-major
// matrix src with m = len(dst) columns. Rows are split across CPUs and the
// per-chunk partial sums added in chunk order, so the result does not depend
// on scheduling.
func sumRowsInto(dst, src []float32) {
	m := len(dst)
	if m == 0 {
		return
	}
	n := len(src) / m
	workers, chunk := chunking(n)
	parts := make([]float32, workers*m)
	parallelFor(n, func(lo, hi int) {
		part := parts[lo/chunk*m : (lo/chunk+1)*m]
		for r := lo; r < hi; r++ {
			axpy(1, src[r*m:(r+1)*m], part)
		}
	})
	addShares(dst, parts, m, workers)
}

// addShares sets dst to the sum of the workers' shares, share w at
// parts[w·stride:], added in worker order so that the result does not
// depend on scheduling.
func addShares(dst, parts []float32, stride, workers int) {
	copy(dst, parts[:len(dst)])
	for w := 1; w < workers; w++ {
		axpy(1, parts[w*stride:w*stride+len(dst)], dst)
	}
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
