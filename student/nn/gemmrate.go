package nn

import "time"

// GEMMRate measures the machine's float32 matrix product rate in GFLOP/s
// with the BLAS in use on runtime.GOMAXPROCS(0) threads: the best of reps
// n×n×n products, the BLAS threading itself (OpenBLAS's threads, goGEMM's
// row split or gonum's goroutines), as numpy on the same OpenBLAS measures it. It is the
// reference the training-step benchmarks divide by.
func GEMMRate(n, reps int) float64 {
	a, b, c := make([]float32, n*n), make([]float32, n*n), make([]float32, n*n)
	for i := range a {
		a[i] = float32(i%7)*0.1 - 0.3
		b[i] = float32(i%5)*0.1 - 0.2
	}
	best := time.Duration(1 << 62)
	withBLASThreads(func() {
		sgemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n) // warm-up: threads, pages
		for range reps {
			t := time.Now()
			sgemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
			best = min(best, time.Since(t))
		}
	})
	return 2 * float64(n) * float64(n) * float64(n) / best.Seconds() / 1e9
}
