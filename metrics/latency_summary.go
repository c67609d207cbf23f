package metrics

import (
	"math"
	"slices"
)

// LatencySummary describes a sample of latencies (any unit). Percentiles use
// Percentile's interpolation.
type LatencySummary struct {
	Count int
	Mean  float64
	Min   float64
	P50   float64
	P90   float64
	P95   float64
	P99   float64
	Max   float64
}

// Summarize returns the LatencySummary of xs without modifying it. For empty
// xs, Count is 0 and every other field is NaN.
func Summarize(xs []float64) LatencySummary {
	if len(xs) == 0 {
		nan := math.NaN()
		return LatencySummary{Mean: nan, Min: nan, P50: nan, P90: nan, P95: nan, P99: nan, Max: nan}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	var sum float64
	for _, x := range sorted {
		sum += x
	}
	return LatencySummary{
		Count: len(sorted),
		Mean:  sum / float64(len(sorted)),
		Min:   sorted[0],
		P50:   percentileSorted(sorted, 50),
		P90:   percentileSorted(sorted, 90),
		P95:   percentileSorted(sorted, 95),
		P99:   percentileSorted(sorted, 99),
		Max:   sorted[len(sorted)-1],
	}
}
