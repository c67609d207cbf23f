package nn

import (
	"testing"
)

// BenchmarkSgemm measures the BLAS in use on a Linear-sized product:
// [8192, 256]·[256, 1024].
func BenchmarkSgemm(b *testing.B) {
	m, k, n := 8192, 256, 1024
	a, bb, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		a[i] = float32(i%7) * 0.1
	}
	for i := range bb {
		bb[i] = float32(i%5) * 0.1
	}
	b.ResetTimer()
	for range b.N {
		sgemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
