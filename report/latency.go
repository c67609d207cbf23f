package report

import (
	"time"

	"github.com/distill-ml/distill/metrics"
)

// summarizeLatency returns the millisecond summary of ds, nil when empty.
func summarizeLatency(ds []time.Duration) *Latency {
	if len(ds) == 0 {
		return nil
	}
	ms := make([]float64, len(ds))
	for i, d := range ds {
		ms[i] = float64(d) / float64(time.Millisecond)
	}
	s := metrics.Summarize(ms)
	return &Latency{
		Count:    s.Count,
		MeanMS:   s.Mean,
		MedianMS: s.P50,
		P95MS:    s.P95,
		P99MS:    s.P99,
		MaxMS:    s.Max,
	}
}
