package metrics

import "math"

// KendallTau returns Kendall's tau-b between x and y, the scores two models
// give the same candidates (x[i] and y[i] score candidate i):
//
//	τ_b = (n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2))
//
// where n_c and n_d count concordant and discordant pairs, n_0 = n(n−1)/2,
// n_1 counts pairs tied in x and n_2 pairs tied in y (a pair tied in both is
// counted in n_1 and n_2 and is neither concordant nor discordant). This is
// scipy.stats.kendalltau's default (variant "b"). It takes O(n²) time, which
// suits re-ranking depths of up to a few thousand candidates.
//
// Special cases: NaN when n < 2 or when x or y is constant. It panics when
// len(x) != len(y). Inputs must not contain NaN.
func KendallTau(x, y []float64) float64 {
	checkPaired("KendallTau", x, y)
	n := len(x)
	var concordant, discordant, tiedX, tiedY int
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			dx := compareFloat(x[i], x[j])
			dy := compareFloat(y[i], y[j])
			switch {
			case dx == 0 && dy == 0:
				tiedX++
				tiedY++
			case dx == 0:
				tiedX++
			case dy == 0:
				tiedY++
			case dx == dy:
				concordant++
			default:
				discordant++
			}
		}
	}
	pairs := n * (n - 1) / 2
	den := math.Sqrt(float64(pairs-tiedX)) * math.Sqrt(float64(pairs-tiedY))
	if den == 0 {
		return math.NaN()
	}
	return float64(concordant-discordant) / den
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkPaired panics when two paired samples differ in length, as gonum's
// stat package does.
func checkPaired(fn string, x, y []float64) {
	if len(x) != len(y) {
		panic("metrics: " + fn + ": slice length mismatch")
	}
}
