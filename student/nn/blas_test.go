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
		{"depth-rows", 200, 48, 1100}, // two k-blocks, their rows cut in four
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

// TestSgemmSplitKIndependentOfCPUs checks that weight-gradient products
// (split along k, and with few k-blocks also by rows of C) give the same
// bits at any number of CPUs.
func TestSgemmSplitKIndependentOfCPUs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if rows := splitKRows(200, 2, 3); rows == 200 || 200/rows < 2 {
		t.Fatalf("splitKRows(200, 2, 3) = %d: the test product is not cut by rows", rows)
	}
	if rows := splitKRows(200, 2, 1); rows != 200 {
		t.Fatalf("splitKRows(200, 2, 1) = %d: at one CPU the product is cut by rows", rows)
	}
	for _, s := range [][3]int{{64, 96, 3000}, {200, 96, 1100}} {
		testSplitKIndependentOfCPUs(t, s[0], s[1], s[2])
	}
}

func testSplitKIndependentOfCPUs(t *testing.T, m, n, k int) {
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
				t.Fatalf("%d×%d×%d, GOMAXPROCS %d: C[%d] = %v, at 1 CPU %v", m, n, k, procs, i, c[i], first[i])
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

// TestSgemmLargeRowsIndependentOfCPUs checks that products split by rows of
// C (chunks of whole 16-row groups, one per CPU) give the bits of the single
// call at any number of CPUs, for each transposition.
func TestSgemmLargeRowsIndependentOfCPUs(t *testing.T) {
	defer func(old gemmMode) { largeGEMM = old }(largeGEMM)
	largeGEMM = gemmSplit // the pure-Go build's mode too
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	r := rng()
	for _, s := range []struct {
		ta, tb  bool
		m, n, k int
	}{{false, true, 1024, 256, 256}, {false, false, 1000, 200, 300}, {true, false, 300, 200, 256}, {true, true, 520, 96, 100}} {
		lda, ldb := s.k, s.n
		if s.ta {
			lda = s.m
		}
		if s.tb {
			ldb = s.k
		}
		a, b := f32(randF32(r, 1, s.m*s.k)), f32(randF32(r, 1, s.k*s.n))
		want := make([]float32, s.m*s.n)
		sgemm(s.ta, s.tb, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, want, s.n)
		for _, procs := range []int{2, 3, 5, 16} {
			runtime.GOMAXPROCS(procs)
			got := make([]float32, s.m*s.n)
			sgemmLarge(s.ta, s.tb, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, got, s.n)
			if !identical(got, want) {
				t.Fatalf("%+v, GOMAXPROCS %d: the split product differs from the single call", s, procs)
			}
		}
	}
}
