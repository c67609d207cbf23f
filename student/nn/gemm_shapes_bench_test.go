package nn

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/distill-ml/distill/internal/cputime"
)

// BenchmarkSgemmShapes compares the sgemm in use (OpenBLAS in the cgo
// build; goGEMM in the pure-Go build where the CPU has AVX2 and FMA) with
// gonum's pure-Go Sgemm on the ColBERT step's product shapes (m×n×k, op(A)
// transposed for the weight gradients) and 2048³, one call at a time (run
// at -test.cpu 1 for single-threaded gonum), with the rate per second of
// the process's CPU time (GFLOP/cpu-s), steadier than wall time on a shared
// machine.
func BenchmarkSgemmShapes(b *testing.B) {
	shapes := []struct {
		name    string
		ta, tb  bool
		m, n, k int
	}{
		{"linear-q", false, true, 1024, 256, 256},
		{"ffn-up", false, true, 4096, 1024, 256},
		{"ffn-down", false, true, 8192, 256, 1024},
		{"dx-ffn", false, false, 8192, 1024, 256},
		{"dW-ffn", true, false, 1024, 256, 512},
		{"attn-scores", false, true, 128, 128, 64},
		{"attn-ctx", false, false, 128, 64, 128},
		{"cube", false, false, 2048, 2048, 2048},
	}
	for _, s := range shapes {
		lda, ldb := s.k, s.n
		if s.ta {
			lda = s.m
		}
		if s.tb {
			ldb = s.k
		}
		a, bb, c := make([]float32, s.m*s.k), make([]float32, s.k*s.n), make([]float32, s.m*s.n)
		for i := range a {
			a[i] = float32(i%7)*0.1 - 0.3
		}
		for i := range bb {
			bb[i] = float32(i%5)*0.1 - 0.2
		}
		for _, impl := range []struct {
			name  string
			sgemm func()
		}{
			{"in-use", func() { sgemm(s.ta, s.tb, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n) }},
			{"gonum", func() {
				gonum.Implementation{}.Sgemm(trans(s.ta), trans(s.tb), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
			}},
		} {
			b.Run(fmt.Sprintf("%s/%dx%dx%d/%s", s.name, s.m, s.n, s.k, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				t0 := cputime.Process()
				for range b.N {
					impl.sgemm()
				}
				flop := 2 * float64(s.m*s.n*s.k) * float64(b.N)
				b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				b.ReportMetric(flop/(cputime.Process()-t0).Seconds()/1e9, "GFLOP/cpu-s")
			})
		}
	}
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
