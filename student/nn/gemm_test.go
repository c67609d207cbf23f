//go:build !openblas

package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// gemmRef computes C = α·op(A)·op(B) + β·C in float64 (C = α·op(A)·op(B)
// for β = 0, whatever C holds) and returns it with, per element, Σ|terms|,
// the scale of its rounding error.
func gemmRef(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) (want, scale []float64) {
	want, scale = make([]float64, m*n), make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s, abs float64
			for p := range k {
				ai, bi := i*lda+p, p*ldb+j
				if transA {
					ai = p*lda + i
				}
				if transB {
					bi = j*ldb + p
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
				abs += math.Abs(float64(av) * float64(bv))
			}
			w, sc := float64(alpha)*s, math.Abs(float64(alpha))*abs
			if beta != 0 {
				w += float64(beta) * float64(c[i*ldc+j])
				sc += math.Abs(float64(beta) * float64(c[i*ldc+j]))
			}
			want[i*n+j], scale[i*n+j] = w, sc
		}
	}
	return want, scale
}

// TestGoGEMMInUse checks the pure-Go build's wiring: on a CPU with AVX2 and
// FMA (as golang.org/x/sys/cpu says) sgemm runs goGEMM and large products
// are split by rows; elsewhere gonum's Sgemm parallelises itself.
func TestGoGEMMInUse(t *testing.T) {
	_, isGo := blas32.Implementation().(goGEMM)
	want := cpu.X86.HasAVX2 && cpu.X86.HasFMA && runtime.GOARCH == "amd64"
	if isGo != want || (largeGEMM == gemmSplit) != want {
		t.Fatalf("goGEMM in use %v, largeGEMM %d; the CPU's AVX2 and FMA: %v", isGo, largeGEMM, want)
	}
}

// TestGoGEMMMatchesFloat64 checks goGEMM's Sgemm against a float64
// reference on shapes around the tile and block sizes (1 to a few hundred,
// odd), all four transpositions, leading dimensions wider than the
// matrices, α and β including 0 and 1, and NaN in C with β = 0, which
// must not reach the result. Elements of C outside the product (the
// padding of ldc) must keep their values.
func TestGoGEMMMatchesFloat64(t *testing.T) {
	if !haveGEMMKernel {
		t.Skip("the CPU has no AVX2 and FMA")
	}
	r := rand.New(rand.NewPCG(3, 4))
	dims := []int{1, 2, 5, 6, 7, 15, 16, 17, 31, 64, 97, 150, 257, 300}
	scalars := [][2]float32{{1, 0}, {1, 1}, {0.5, -1.5}, {-2, 0}, {0, 0.75}, {0, 0}}
	impl := goGEMM{}
	for trial := range 160 {
		m, n, k := dims[r.IntN(len(dims))], dims[r.IntN(len(dims))], dims[r.IntN(len(dims))]
		if trial < 4 {
			m, n, k = []int{1, 6, 150, 300}[trial], []int{1, 16, 300, 2100}[trial], []int{1, 256, 513, 70}[trial]
		}
		transA, transB := trial%2 == 1, trial/2%2 == 1
		ab := scalars[trial%len(scalars)]
		alpha, beta := ab[0], ab[1]
		pad := trial % 3 * 5 // extra columns of A, B and C
		rowsA, colsA, rowsB, colsB := m, k, k, n
		if transA {
			rowsA, colsA = k, m
		}
		if transB {
			rowsB, colsB = n, k
		}
		lda, ldb, ldc := colsA+pad, colsB+pad, n+pad
		a, b, c := randFill(r, rowsA*lda), randFill(r, rowsB*ldb), randFill(r, m*ldc)
		if beta == 0 {
			for i := range c {
				if i%3 == 0 {
					c[i] = float32(math.NaN())
				}
			}
		}
		name := fmt.Sprintf("%dx%dx%d,tA=%v,tB=%v,α=%v,β=%v,pad=%d", m, n, k, transA, transB, alpha, beta, pad)
		want, scale := gemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		got := append([]float32(nil), c...)
		impl.Sgemm(trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, got, ldc)
		for i := range m {
			for j := range ldc {
				g := float64(got[i*ldc+j])
				if j >= n {
					if !identical(got[i*ldc+j:i*ldc+j+1], c[i*ldc+j:i*ldc+j+1]) {
						t.Fatalf("%s: C[%d][%d] past column n changed from %v to %v", name, i, j, c[i*ldc+j], g)
					}
					continue
				}
				w, tol := want[i*n+j], 4*float64(k+2)*0x1p-24*scale[i*n+j]
				if !(math.Abs(g-w) <= tol) {
					t.Fatalf("%s: C[%d][%d] = %v, want %v ± %.3g", name, i, j, g, w, tol)
				}
			}
		}
	}
}

// TestGoGEMMRowsKeepBits checks that rows of C computed by separate calls
// (any cut, here every row count from 1 to 19) have the bits of the single
// call, for each transposition and with β ≠ 0 and several k-blocks.
func TestGoGEMMRowsKeepBits(t *testing.T) {
	if !haveGEMMKernel {
		t.Skip("the CPU has no AVX2 and FMA")
	}
	r := rand.New(rand.NewPCG(5, 6))
	const m, n, k = 75, 41, 2*gemmKC + 9
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			lda, ldb := k, n
			if ta {
				lda = m
			}
			if tb {
				ldb = k
			}
			a, b, c0 := randFill(r, m*k), randFill(r, k*n), randFill(r, m*n)
			want := append([]float32(nil), c0...)
			goGEMM{}.Sgemm(trans(ta), trans(tb), m, n, k, 0.75, a, lda, b, ldb, 1.25, want, n)
			for rows := 1; rows < 20; rows++ {
				got := append([]float32(nil), c0...)
				for lo := 0; lo < m; lo += rows {
					hi := min(lo+rows, m)
					off := lo * lda
					if ta {
						off = lo
					}
					goGEMM{}.Sgemm(trans(ta), trans(tb), hi-lo, n, k, 0.75, a[off:], lda, b, ldb, 1.25, got[lo*n:], n)
				}
				if !identical(got, want) {
					t.Fatalf("transA=%v transB=%v: rows computed %d at a time differ from the single call", ta, tb, rows)
				}
			}
		}
	}
}

// TestGoGEMMThreadedKeepsBits checks that the calls of GEMMRate (rows
// split over the CPUs by setBLASThreads) give the bits of a plain call.
func TestGoGEMMThreadedKeepsBits(t *testing.T) {
	if !haveGEMMKernel {
		t.Skip("the CPU has no AVX2 and FMA")
	}
	r := rand.New(rand.NewPCG(7, 8))
	const m, n, k = 203, 70, 300
	a, b := randFill(r, m*k), randFill(r, k*n)
	want, got := make([]float32, m*n), make([]float32, m*n)
	goGEMM{}.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, want, n)
	withBLASThreads(func() { goGEMM{}.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, got, n) })
	if !identical(got, want) {
		t.Fatal("the threaded call differs from the plain one")
	}
}

func randFill(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}
