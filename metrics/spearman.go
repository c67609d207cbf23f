package metrics

import (
	"math"
	"slices"
)

// SpearmanRho returns Spearman's rank correlation between x and y: the
// Pearson correlation of their ranks, where tied values share the average of
// the ranks they span (x = [10, 20, 20, 30] has ranks [1, 2.5, 2.5, 4]):
//
//	ρ = Σ (a_i − ā)(b_i − b̄) / sqrt(Σ (a_i − ā)² · Σ (b_i − b̄)²),  a = rank(x), b = rank(y)
//
// This matches scipy.stats.spearmanr. Without ties it equals
// 1 − 6 Σ d_i² / (n(n² − 1)).
//
// Special cases: NaN when n < 2 or when x or y is constant. It panics when
// len(x) != len(y). Inputs must not contain NaN.
func SpearmanRho(x, y []float64) float64 {
	checkPaired("SpearmanRho", x, y)
	if len(x) < 2 {
		return math.NaN()
	}
	return pearson(averageRanks(x), averageRanks(y))
}

// averageRanks returns the 1-based ranks of xs in ascending order, ties
// receiving the mean of their ranks.
func averageRanks(xs []float64) []float64 {
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareFloat(xs[a], xs[b]) })
	ranks := make([]float64, len(xs))
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && xs[order[end]] == xs[order[start]] {
			end++
		}
		// Positions start..end-1 hold ranks start+1..end; their mean:
		avg := float64(start+1+end) / 2
		for _, idx := range order[start:end] {
			ranks[idx] = avg
		}
		start = end
	}
	return ranks
}

// pearson returns the Pearson correlation of a and b, NaN if either is constant.
func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var meanA, meanB float64
	for i := range a {
		meanA += a[i]
		meanB += b[i]
	}
	meanA /= n
	meanB /= n
	var cov, varA, varB float64
	for i := range a {
		da, db := a[i]-meanA, b[i]-meanB
		cov += da * db
		varA += da * da
		varB += db * db
	}
	if varA == 0 || varB == 0 {
		return math.NaN()
	}
	return cov / math.Sqrt(varA*varB)
}
