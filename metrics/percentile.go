package metrics

import (
	"math"
	"slices"
)

// Percentile returns the p-th percentile (0 ≤ p ≤ 100) of xs by linear
// interpolation between closest ranks (Hyndman & Fan type 7, the default of
// NumPy's percentile and R's quantile). With xs sorted ascending, 0-based:
//
//	h = (n − 1) · p/100,   Q(p) = x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋+1] − x[⌊h⌋])
//
// so Percentile([15 20 35 40 50], 40) = 20 + 0.6·(35 − 20) = 29. xs is not
// modified.
//
// Special cases: NaN when xs is empty, or p is NaN or outside [0, 100].
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 || !(p >= 0 && p <= 100) {
		return math.NaN()
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	return percentileSorted(sorted, p)
}

// percentileSorted is Percentile on ascending, non-empty xs.
func percentileSorted(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p / 100
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// Median returns Percentile(xs, 50): the middle value, or the mean of the two
// middle values when len(xs) is even. NaN when xs is empty.
func Median(xs []float64) float64 { return Percentile(xs, 50) }
