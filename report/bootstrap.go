package report

import (
	"math/rand/v2"

	"github.com/distill-ml/distill/metrics"
)

// bootstrapResamples is the number of resamples of a confidence interval.
const bootstrapResamples = 1000

// bootstrapCI95 returns the percentile bootstrap 95% confidence interval of
// the mean of values (Efron 1979): the 2.5th and 97.5th percentiles, with
// linear interpolation as numpy's (metrics.Percentile), of the means of resamples drawn with
// replacement by a PCG seeded with seed. Fewer than two values give the
// interval [mean, mean].
func bootstrapCI95(values []float64, resamples int, seed int64) [2]float64 {
	n := len(values)
	if n == 0 {
		return [2]float64{}
	}
	if n == 1 {
		return [2]float64{values[0], values[0]}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	means := make([]float64, resamples)
	for b := range means {
		var sum float64
		for range n {
			sum += values[rng.IntN(n)]
		}
		means[b] = sum / float64(n)
	}
	return [2]float64{metrics.Percentile(means, 2.5), metrics.Percentile(means, 97.5)}
}

// confidenceIntervals bootstraps every measure of row over the queries in
// order.
func confidenceIntervals(row *Row, queries []string, seed int64) map[metrics.Measure][2]float64 {
	out := make(map[metrics.Measure][2]float64, len(row.Mean))
	values := make([]float64, len(queries))
	for m := range row.Mean {
		for i, q := range queries {
			values[i] = row.PerQuery[q][m]
		}
		out[m] = bootstrapCI95(values, bootstrapResamples, seed)
	}
	return out
}
