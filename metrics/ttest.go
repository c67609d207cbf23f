package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// PairedTTest returns Student's paired t statistic for a − b and its
// two-sided p-value (scipy.stats.ttest_rel):
//
//	d_i = a_i − b_i,   d̄ = (1/n) Σ d_i,   s² = Σ (d_i − d̄)² / (n − 1)
//	t   = d̄ / (s / √n)
//	p   = 2 · P(T_{n−1} ≥ |t|)
//
// where T_{n−1} is Student's t distribution with n − 1 degrees of freedom.
// A positive t means a is larger on average.
//
// Special cases: t = ±Inf and p = 0 when every difference is the same
// non-zero value; t = NaN and p = NaN when every difference is zero (as
// scipy) or n < 2. It panics when len(a) != len(b).
func PairedTTest(a, b []float64) (t, p float64) {
	checkPaired("PairedTTest", a, b)
	n := len(a)
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	var mean float64
	for i := range a {
		mean += a[i] - b[i]
	}
	mean /= float64(n)
	var ss float64
	for i := range a {
		dev := a[i] - b[i] - mean
		ss += dev * dev
	}
	sd := math.Sqrt(ss / float64(n-1))
	if sd == 0 && mean == 0 {
		return math.NaN(), math.NaN()
	}
	t = mean / (sd / math.Sqrt(float64(n)))
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}
	return t, 2 * dist.Survival(math.Abs(t))
}
