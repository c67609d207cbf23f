package metrics

import (
	"math"
	"testing"
)

func TestKendallTau(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		{"identical", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		// Pairs (x, y): (1,3) (2,1) (3,2) (4,4). Of 6 pairs, discordant:
		// {0,1} {0,2}; concordant 4. τ = (4−2)/6.
		{"one swap", []float64{1, 2, 3, 4}, []float64{3, 1, 2, 4}, 2.0 / 6},
		// scipy.stats.kendalltau docs: x=[12,2,1,12,2], y=[1,4,7,1,0] gives
		// −0.47140452079103173. By hand: 10 pairs, n_c = 2 ({0,4} {3,4}),
		// n_d = 6, ties in x: {0,3} {1,4} (n_1 = 2), ties in y: {0,3}
		// (n_2 = 1): τ_b = (2 − 6)/sqrt(8 · 9) = −4/√72.
		{"scipy ties", []float64{12, 2, 1, 12, 2}, []float64{1, 4, 7, 1, 0}, -4 / math.Sqrt(72)},
		{"constant x", []float64{1, 1, 1}, []float64{1, 2, 3}, math.NaN()},
		{"single", []float64{1}, []float64{2}, math.NaN()},
		{"empty", nil, nil, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkCloseNaN(t, "tau", KendallTau(tc.x, tc.y), tc.want)
			checkCloseNaN(t, "tau symmetric", KendallTau(tc.y, tc.x), tc.want)
		})
	}
}

func TestSpearmanRho(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		{"identical order", []float64{1, 2, 3, 4}, []float64{1, 4, 9, 16}, 1},
		{"reversed", []float64{1, 2, 3, 4, 5}, []float64{5, 4, 3, 2, 1}, -1},
		// No ties: ρ = 1 − 6Σd²/(n(n²−1)); ranks y = [3 1 2 4], d = [−2 1 1 0],
		// Σd² = 6, ρ = 1 − 36/60 = 0.4.
		{"no ties", []float64{1, 2, 3, 4}, []float64{3, 1, 2, 4}, 0.4},
		// scipy.stats.spearmanr docs: [1..5] vs [5 6 7 8 7] gives
		// 0.8207826816681233. Ranks y = [1 2 3.5 5 3.5]; deviations
		// x: [−2 −1 0 1 2], y: [−2 −1 .5 2 .5]; Σ = 8, Σx² = 10, Σy² = 9.5;
		// ρ = 8/√95.
		{"scipy ties", []float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, 8 / math.Sqrt(95)},
		{"constant", []float64{2, 2, 2}, []float64{1, 2, 3}, math.NaN()},
		{"single", []float64{1}, []float64{1}, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkCloseNaN(t, "rho", SpearmanRho(tc.x, tc.y), tc.want)
		})
	}
}

func TestBestMarginMSE(t *testing.T) {
	teacher := []float64{4, 3, 2, 1}
	tests := []struct {
		name string
		s, t []float64
		want float64
	}{
		{"identical", teacher, teacher, 0},
		// Margins are invariant to a shift of the scores.
		{"shifted", []float64{11, 10, 9, 8}, teacher, 0},
		// Doubling the margins 1, 2, 3 errs by 1, 2, 3: (1 + 4 + 9)/3.
		{"scaled ×2", []float64{8, 6, 4, 2}, teacher, 14.0 / 3},
		{"reversed", []float64{-4, -3, -2, -1}, teacher, 56.0 / 3},
		// The teacher's best is the last candidate: margins 2, 1 against
		// system margins 1, 1.
		{"best last", []float64{0, 0, 1}, []float64{1, 2, 3}, (1 + 0) / 2.0},
		// Ties for the teacher's best: the first one is p. Margins 0 and 1
		// against system margins 1 and 2.
		{"tied best", []float64{3, 2, 1}, []float64{5, 5, 4}, (1 + 1) / 2.0},
		{"one candidate", []float64{1}, []float64{1}, math.NaN()},
		{"empty", nil, nil, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkCloseNaN(t, "BestMarginMSE", BestMarginMSE(tc.s, tc.t), tc.want)
		})
	}
}

func TestAverageRanks(t *testing.T) {
	got := averageRanks([]float64{10, 30, 20, 20, 10, 40})
	want := []float64{1.5, 5, 3.5, 3.5, 1.5, 6}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestAgreementLengthMismatchPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"KendallTau":          func() { KendallTau([]float64{1}, nil) },
		"SpearmanRho":         func() { SpearmanRho([]float64{1}, nil) },
		"BestMarginMSE":       func() { BestMarginMSE([]float64{1}, nil) },
		"PairedTTest":         func() { PairedTTest([]float64{1}, nil) },
		"PairedRandomization": func() { PairedRandomization([]float64{1}, nil, 10, 1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func checkCloseNaN(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(want) {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", what, got)
		}
		return
	}
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %.15f, want %.15f", what, got, want)
	}
}
