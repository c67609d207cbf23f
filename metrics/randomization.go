package metrics

import (
	"math"
	"math/rand/v2"
)

// PairedRandomization returns the two-sided p-value of Fisher's paired
// randomisation (permutation) test for a difference between systems A and B,
// whose per-query values are a[i] and b[i], as recommended by Smucker, Allan
// and Carterette (CIKM 2007). Under the null hypothesis the labels A and B of
// each query are exchangeable, so each difference d_i = a_i − b_i is equally
// likely to have either sign:
//
//	T   = |Σ d_i|                       (the observed statistic; |mean| · n)
//	T_j = |Σ s_ij d_i|,  s_ij ∈ {−1, +1} uniformly at random, j = 1..iterations
//	p   = |{j : T_j ≥ T}| / iterations
//
// Sign flips are drawn from a PCG generator seeded with seed, so the result
// is deterministic for fixed inputs. A permuted statistic within 1e-12·Σ|d_i|
// of T counts as ≥ T, so floating-point rounding does not split ties.
// Smucker et al. used 100,000 iterations; the p-value's standard error is
// about sqrt(p(1−p)/iterations).
//
// Special cases: p = 1 when a and b are identical. NaN when the samples are
// empty or iterations < 1. It panics when len(a) != len(b).
func PairedRandomization(a, b []float64, iterations int, seed int64) (pValue float64) {
	checkPaired("PairedRandomization", a, b)
	if len(a) == 0 || iterations < 1 {
		return math.NaN()
	}
	d := make([]float64, len(a))
	var observed, scale float64
	for i := range a {
		d[i] = a[i] - b[i]
		observed += d[i]
		scale += math.Abs(d[i])
	}
	threshold := math.Abs(observed) - 1e-12*scale

	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	atLeast := 0
	for range iterations {
		var sum float64
		var signs uint64
		for i, di := range d {
			if i%64 == 0 {
				signs = rng.Uint64()
			}
			if signs&1 == 1 {
				sum -= di
			} else {
				sum += di
			}
			signs >>= 1
		}
		if math.Abs(sum) >= threshold {
			atLeast++
		}
	}
	return float64(atLeast) / float64(iterations)
}
