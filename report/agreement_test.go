package report

import (
	"math"
	"testing"

	"github.com/distill-ml/distill/labels"
)

func TestAgreement(t *testing.T) {
	c := compareFixture(t)
	if c.Rows[0].Agreement != nil {
		t.Errorf("bm25 has no scores but agreement %+v", c.Rows[0].Agreement)
	}

	same := c.Rows[1].Agreement
	if same == nil || same.Queries != 2 || len(same.PerQuery) != 2 {
		t.Fatalf("student agreement = %+v, want 2 queries", same)
	}
	checkPtr(t, "same τ", same.KendallTau, 1)
	checkPtr(t, "same ρ", same.SpearmanRho, 1)
	checkPtr(t, "same Margin-MSE", same.MarginMSE, 0)

	// Negated teacher scores. h1: t = [4 3 2 1], teacher margins 1, 2, 3,
	// system margins −1, −2, −3: (4 + 16 + 36)/3 = 56/3. h2: t = [1 5 3],
	// best f, margins 4, 2 against −4, −2: (64 + 16)/2 = 40.
	rev := c.Rows[2].Agreement
	checkPtr(t, "reversed τ", rev.KendallTau, -1)
	checkPtr(t, "reversed ρ", rev.SpearmanRho, -1)
	checkPtr(t, "reversed Margin-MSE", rev.MarginMSE, (56.0/3+40)/2)
	if q := rev.PerQuery[1]; q.QueryID != "h2" || q.Candidates != 3 {
		t.Errorf("per-query[1] = %+v, want h2 with 3 candidates", q)
	}
	checkPtr(t, "reversed h1 Margin-MSE", rev.PerQuery[0].MarginMSE, 56.0/3)
	checkPtr(t, "reversed h2 τ", rev.PerQuery[1].KendallTau, -1)
}

func TestAgreementPartialScores(t *testing.T) {
	teacher := []labels.Row{
		{QueryID: "h1", DocumentIDs: []string{"a", "b", "c", "d"}, Scores: []float32{4, 3, 2, 1}},
		{QueryID: "h2", DocumentIDs: []string{"e", "f"}, Scores: []float32{1, 2}},
		{QueryID: "h3", DocumentIDs: []string{"g", "h"}, Scores: []float32{1, 2}},
		{QueryID: "h4", DocumentIDs: []string{"i", "j"}, Scores: []float32{1, 2}},
	}
	scores := map[string]map[string]float32{
		// d is not scored; a, b, c: b and c swapped → τ = 1/3, ρ = 1/2.
		"h1": {"a": 10, "b": 8, "c": 9},
		// One candidate left: every measure undefined.
		"h2": {"e": 1},
		// Constant scores: τ, ρ undefined, Margin-MSE defined (margin 1 → 0): 1.
		"h3": {"g": 0, "h": 0},
		// h4 not scored at all: not counted.
	}
	a := agreement(scores, teacher)
	if a.Queries != 3 || a.MissingCandidates != 2 {
		t.Errorf("Queries, MissingCandidates = %d, %d, want 3, 2", a.Queries, a.MissingCandidates)
	}
	checkPtr(t, "τ (h1 only)", a.KendallTau, 1.0/3)
	checkPtr(t, "ρ (h1 only)", a.SpearmanRho, 0.5)
	// h1: t = [4 3 2], s = [10 8 9]: margins (2 vs 1)² and (1 vs 2)²: 1.
	checkPtr(t, "Margin-MSE (h1, h3)", a.MarginMSE, (1.0+1.0)/2)
	if q := a.PerQuery[1]; q.Candidates != 1 || q.KendallTau != nil || q.MarginMSE != nil {
		t.Errorf("h2 = %+v, want 1 candidate and no values", q)
	}
	if q := a.PerQuery[2]; q.KendallTau != nil || q.SpearmanRho != nil || q.MarginMSE == nil {
		t.Errorf("h3 = %+v, want τ, ρ undefined and Margin-MSE set", q)
	}

	none := agreement(map[string]map[string]float32{"other": {"x": 1}}, teacher)
	if none.Queries != 0 || none.KendallTau != nil || none.MarginMSE != nil {
		t.Errorf("no overlap = %+v, want empty", none)
	}
}

func TestMarginMSE(t *testing.T) {
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
			got := MarginMSE(tc.s, tc.t)
			if math.IsNaN(tc.want) {
				if !math.IsNaN(got) {
					t.Errorf("MarginMSE = %v, want NaN", got)
				}
				return
			}
			checkClose(t, "MarginMSE", got, tc.want)
		})
	}
}
