package nn

import (
	"context"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/distill-ml/distill/internal/parallel"
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
// thread per call, or the pure-Go build's goGEMM) sgemmLarge splits a product into single-threaded calls
// on goroutines; with gemmBLASThreads it hands the whole product to the
// BLAS's own threads (OpenBLAS), which share packed panels between
// threads; with gemmInternal (gonum's Sgemm, the pure-Go build on a CPU
// without AVX2 and FMA) the BLAS parallelises every call itself.
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

// Weight gradients (op(A) = Aᵀ: a sum over all tokens into a small C) are
// split along k into blocks of splitDepth rows whose partial products are
// added in block order, at any number of CPUs and with any BLAS: a split by
// rows of C would give each single-threaded call few rows and all of op(B)
// to pack. The blocks do not depend on the number of CPUs, so neither does
// the result. Products with more than maxSplitKRows rows of C (the MLM
// decoder's [V, H] gradient) are split by rows instead, as are all others:
// each row of C is then computed as a single call would, whatever the
// batch around it.
const (
	splitDepth     = 512
	maxSplitKRows  = 4096
	minSplitBlocks = 2
)

// sgemmLarge is sgemm for a product that may be large and is not issued
// from inside a parallel loop; it runs the product on all CPUs as
// largeGEMM says.
func sgemmLarge(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if transA && m <= maxSplitKRows && k >= minSplitBlocks*splitDepth && m*n*k >= splitMinMACs {
		sgemmSplitK(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	workers := runtime.GOMAXPROCS(0)
	if largeGEMM == gemmInternal || workers < 2 || m*n*k < splitMinMACs {
		sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if largeGEMM == gemmBLASThreads {
		withBLASThreads(func() { sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) })
		return
	}
	splitRows(transA, m, lda, ldc, func(rows, aoff, coff int) {
		sgemm(transA, transB, rows, n, k, alpha, a[aoff:], lda, b, ldb, beta, c[coff:], ldc)
	})
}

// splitRows cuts the m rows of C into chunks of whole groups of 16 rows
// (see minSplitRows), one per CPU, and runs fn on each chunk in its own
// goroutine with the chunk's rows and the offsets of its first row of
// op(A) in A and of C.
func splitRows(transA bool, m, lda, ldc int, fn func(rows, aoff, coff int)) {
	parallelFor((m+15)/16, func(lo, hi int) {
		lo, hi = lo*16, min(hi*16, m)
		aoff := lo * lda // first row of op(A) = A
		if transA {
			aoff = lo // first row of op(A) = first column of A
		}
		fn(hi-lo, aoff, lo*ldc)
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

// withBLASThreads runs fn with the BLAS's thread count raised to
// GOMAXPROCS, then sets it back to one thread per call.
func withBLASThreads(fn func()) {
	blasThreadsMu.Lock()
	defer blasThreadsMu.Unlock()
	setBLASThreads(runtime.GOMAXPROCS(0))
	defer setBLASThreads(1)
	fn()
}

// sgemmSplitK computes the product as a sum over blocks of splitDepth
// along k (the last block longer, up to twice that): each block's partial
// product goes to its own m×n buffer, the blocks on all CPUs, and the
// partials are added to β·C in block order. The blocks depend on the shape
// only, not on the number of CPUs. With too few blocks for the CPUs (the
// query encoder's 1,024 tokens make two), each block's rows of C are cut
// further into parts of at least minSplitRows rows (see splitKRows); rows
// of C keep their bits however they are cut, so the result does not depend
// on the number of CPUs either. Tasks are handed out as CPUs free up.
func sgemmSplitK(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	blocks := k / splitDepth
	rows := splitKRows(m, blocks, runtime.GOMAXPROCS(0))
	rowParts := m / rows // the last part also takes the remainder
	splitScratch.Lock()
	defer splitScratch.Unlock()
	if len(splitScratch.buf) < blocks*m*n {
		splitScratch.buf = make([]float32, blocks*m*n)
	}
	partial := splitScratch.buf // block blk's m×n product at blk·m·n
	_ = parallel.For(context.Background(), blocks*rowParts, 0, func(task int) {
		blk, r0 := task/rowParts, task%rowParts*rows
		r1 := r0 + rows
		if r0/rows == rowParts-1 {
			r1 = m
		}
		k0, k1 := blk*splitDepth, (blk+1)*splitDepth
		if blk == blocks-1 {
			k1 = k
		}
		// op(A) rows r0… and columns k0…, op(B) rows k0….
		aoff, boff := r0*lda+k0, k0*ldb
		if transA {
			aoff = k0*lda + r0
		}
		if transB {
			boff = k0
		}
		dst := partial[blk*m*n+r0*n : blk*m*n+r1*n]
		sgemm(transA, transB, r1-r0, n, k1-k0, alpha, a[aoff:], lda, b[boff:], ldb, 0, dst, n)
	})
	parallelFor(m, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := c[i*ldc : i*ldc+n]
			switch beta {
			case 0:
				copy(row, partial[i*n:(i+1)*n])
			case 1:
				axpy(1, partial[i*n:(i+1)*n], row)
			default:
				for j := range row {
					row[j] *= beta
				}
				axpy(1, partial[i*n:(i+1)*n], row)
			}
			addRows(row, partial[(m+i)*n:], blocks-1, m*n) // blocks 1, 2, …
		}
	})
}

// splitKTasks is the most tasks sgemmSplitK makes of a product for the
// row cut (two per CPU, for balance), and minSplitRows the fewest rows of C
// a task computes. Every task of a block packs all of its op(B) block, so
// a cut costs one more packing of op(B) per part: at one CPU a 16-block
// document product ran 10–25% slower with the two parts of a fixed
// 32-task cut than uncut (BenchmarkWeightGradient). Rows of C computed by
// separate calls of 16 rows or more have the bits of the single call with
// OpenBLAS's and gonum's kernels (measured; calls of a few rows take other
// paths), and at any cut with goGEMM (by construction), so such cuts keep
// results.
const (
	splitKTasks  = 32
	minSplitRows = 64
)

// splitKRows returns how many rows of C each task of sgemmSplitK computes
// (the last task of a block also the remainder) for a product with m rows
// of C and the given number of k-blocks on the given number of CPUs: all m
// when the blocks make two tasks per CPU, else about m·blocks/tasks rounded
// up to a multiple of 16 with tasks = min(2·CPUs, splitKTasks), and at
// least minSplitRows.
func splitKRows(m, blocks, cpus int) int {
	tasks := min(2*cpus, splitKTasks)
	if blocks >= tasks || m < 2*minSplitRows {
		return m
	}
	parts := min((tasks+blocks-1)/blocks, m/minSplitRows)
	rows := (m + parts - 1) / parts
	return min(m, (rows+15)/16*16)
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
// matrix src with m = len(dst) columns, by blocks of rows (see forRowBlocks),
// so the result does not depend on the number of CPUs. Its block shares
// come from mem.
func sumRowsInto(dst, src []float32, mem *arena) {
	m := len(dst)
	if m == 0 {
		return
	}
	n := len(src) / m
	parts := forRowBlocks(n, m, mem, func(lo, hi int, part []float32) {
		addRows(part, src[lo*m:hi*m], hi-lo, m)
	})
	addShares(dst, parts, m, rowBlocks(n))
}

// addRows adds rows rows of len(dst) values to dst, one after the other,
// row r at src[r·ld:]. Where the CPU has AVX2, the cgo build replaces it
// with the same sums in C, vectorised (rowsums_openblas.go), and the
// pure-Go build with the same in Go assembly (rowsums_amd64.s).
var addRows = addRowsGo

func addRowsGo(dst, src []float32, rows, ld int) {
	for r := range rows {
		axpy(1, src[r*ld:r*ld+len(dst)], dst)
	}
}

// sumBlockRows is the number of rows per block of the sums over rows that
// give bias and LayerNorm gradients: each block's share is summed in row
// order, then the shares in block order. The blocks depend on the number
// of rows only, so the sums have the same bits at any number of CPUs.
const sumBlockRows = 256

// rowBlocks returns the number of blocks of sumBlockRows rows (at least one).
func rowBlocks(n int) int { return max(1, (n+sumBlockRows-1)/sumBlockRows) }

// forRowBlocks runs fn on every block of rows [lo, hi) of [0, n) on all CPUs,
// each with its own zeroed share of width floats, and returns the shares,
// block k's at [k·width, (k+1)·width), taken from mem.
func forRowBlocks(n, width int, mem *arena, fn func(lo, hi int, share []float32)) []float32 {
	blocks := rowBlocks(n)
	parts := mem.floats(blocks*width, true)
	parallelFor(blocks, func(lo, hi int) {
		for blk := lo; blk < hi; blk++ {
			fn(blk*sumBlockRows, min((blk+1)*sumBlockRows, n), parts[blk*width:(blk+1)*width])
		}
	})
	return parts
}

// addShares sets dst to the sum of the shares, share w at parts[w·stride:],
// added in order (addRows) so that the result does not depend on
// scheduling.
func addShares(dst, parts []float32, stride, workers int) {
	copy(dst, parts[:len(dst)])
	if workers > 1 {
		addRows(dst, parts[stride:], workers-1, stride)
	}
}

// native is gonum's pure-Go BLAS, whose level-1 loops are SIMD assembly on
// amd64: no cgo call per row in either build.
var native gonum.Implementation

// axpy computes y += a·x for equal-length slices: each y_i + a·x_i
// rounded as the loop below rounds it (a product, then a sum; gonum's
// SSE kernel does the same operations four at a time), so the two give
// the same bits. With a = 0 gonum returns without touching y, where the
// loop turns −0 into +0 and adds NaN for an infinite x, so the loop runs.
func axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	if a != 0 && len(x) >= 16 {
		native.Saxpy(len(x), a, x, 1, y, 1)
		return
	}
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
