package nn

import (
	"fmt"
	"math"
	"runtime"
	"testing"
)

// TestSgemmLarge checks the split products (by rows of C, and along k into
// partial products) and the BLAS-threaded product against the single call,
// for every transposition, with β = 0 and β = 1.
func TestSgemmLarge(t *testing.T) {
	defer func(old gemmMode) { largeGEMM = old }(largeGEMM)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	shapes := []struct {
		name    string
		m, n, k int
	}{
		{"rows", 401, 160, 90},
		{"depth", 40, 50, 2100},
	}
	r := rng()
	for _, mode := range []gemmMode{gemmSplit, gemmBLASThreads, gemmInternal} {
		largeGEMM = mode
		for _, s := range shapes {
			m, n, k := s.m, s.n, s.k
			if m*n*k < splitMinMACs {
				t.Fatalf("test product of %d MACs does not reach splitMinMACs = %d", m*n*k, splitMinMACs)
			}
			for _, ta := range []bool{false, true} {
				for _, tb := range []bool{false, true} {
					for _, beta := range []float32{0, 1} {
						t.Run(fmt.Sprintf("mode=%d,%s,transA=%v,transB=%v,beta=%v", mode, s.name, ta, tb, beta), func(t *testing.T) {
							a, b := f32(randF32(r, 1, m*k)), f32(randF32(r, 1, k*n))
							lda, ldb := k, n
							if ta {
								lda = m
							}
							if tb {
								ldb = k
							}
							c0 := f32(randF32(r, 1, m*n))
							want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
							sgemm(ta, tb, m, n, k, 0.5, a, lda, b, ldb, beta, want, n)
							sgemmLarge(ta, tb, m, n, k, 0.5, a, lda, b, ldb, beta, got, n)
							assertClose(t, "C", got, want, 1e-4)
						})
					}
				}
			}
		}
	}
}

// TestGEMMRate checks that the rate measurement runs and reports a
// positive, finite rate.
func TestGEMMRate(t *testing.T) {
	if r := GEMMRate(64, 2); !(r > 0) || r > 1e7 {
		t.Fatalf("GEMMRate = %v GFLOP/s", r)
	}
}

// TestSgemmSplitKIndependentOfCPUs checks that a weight-gradient product
// (split along k) gives the same bits at any number of CPUs, and that a row
// of a row-split product is the row of the single call.
func TestSgemmSplitKIndependentOfCPUs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	m, n, k := 64, 96, 3000
	r := rng()
	a, b := f32(randF32(r, 1, k*m)), f32(randF32(r, 1, k*n))
	var first []float32
	for _, procs := range []int{1, 2, 3, 5} {
		runtime.GOMAXPROCS(procs)
		c := make([]float32, m*n)
		sgemmLarge(true, false, m, n, k, 1, a, m, b, n, 0, c, n)
		if first == nil {
			first = c
			continue
		}
		for i := range c {
			if c[i] != first[i] {
				t.Fatalf("GOMAXPROCS %d: C[%d] = %v, at 1 CPU %v", procs, i, c[i], first[i])
			}
		}
	}
}

// TestAxpyMatchesLoop checks axpy (gonum's SIMD kernel for a ≠ 0) against
// the scalar loop bit for bit, on unaligned slices of every length up to
// 70 and special values, so that kernels using it keep their results.
func TestAxpyMatchesLoop(t *testing.T) {
	r := rng()
	x, y0 := f32(randF32(r, 1, 80)), f32(randF32(r, 1e3, 80))
	x[5], x[17], y0[9], y0[21] = float32(math.Inf(1)), float32(math.NaN()), float32(math.Copysign(0, -1)), 1e-40
	for _, a := range []float32{1, -0.37, 3e-30, 0, float32(math.Copysign(0, -1))} {
		for off := 0; off < 4; off++ {
			for n := 0; n+off <= 70; n++ {
				got, want := append([]float32(nil), y0...), append([]float32(nil), y0...)
				axpy(a, x[off:off+n], got[off+1:off+1+n])
				for i := range n {
					want[off+1+i] += a * x[off+i]
				}
				if !identical(got, want) {
					t.Fatalf("a=%v off=%d n=%d: axpy differs from the loop", a, off, n)
				}
			}
		}
	}
}
