package metrics

import (
	"math"
	"slices"
	"testing"
)

func TestPercentile(t *testing.T) {
	xs := []float64{50, 15, 40, 20, 35} // sorted: 15 20 35 40 50
	tests := []struct {
		name string
		xs   []float64
		p    float64
		want float64
	}{
		{"min", xs, 0, 15},
		{"max", xs, 100, 50},
		// h = 4·0.4 = 1.6 → 20 + 0.6·(35 − 20) = 29 (NumPy: 29.0).
		{"p40", xs, 40, 29},
		{"median odd", xs, 50, 35},
		// h = 4·0.9 = 3.6 → 40 + 0.6·10 = 46.
		{"p90", xs, 90, 46},
		{"median even", []float64{4, 1, 3, 2}, 50, 2.5},
		// h = 3·0.25 = 0.75 → 1 + 0.75·1.
		{"p25 even", []float64{4, 1, 3, 2}, 25, 1.75},
		{"single", []float64{7}, 99, 7},
		{"empty", nil, 50, math.NaN()},
		{"negative p", xs, -1, math.NaN()},
		{"p over 100", xs, 101, math.NaN()},
		{"NaN p", xs, math.NaN(), math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.xs)
			checkCloseNaN(t, "percentile", Percentile(in, tc.p), tc.want)
			if !slices.Equal(in, tc.xs) {
				t.Error("input modified")
			}
		})
	}
	checkCloseNaN(t, "Median", Median([]float64{5, 1, 9, 3}), 4)
}

func TestSummarize(t *testing.T) {
	xs := make([]float64, 101) // 100, 99, ..., 0
	for i := range xs {
		xs[i] = float64(100 - i)
	}
	got := Summarize(xs)
	want := LatencySummary{Count: 101, Mean: 50, Min: 0, P50: 50, P90: 90, P95: 95, P99: 99, Max: 100}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if xs[0] != 100 {
		t.Error("input modified")
	}
	empty := Summarize(nil)
	if empty.Count != 0 || !math.IsNaN(empty.P50) || !math.IsNaN(empty.Mean) {
		t.Errorf("empty: %+v", empty)
	}
}
