package report

import (
	"encoding/json"
	"strings"
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
	checkPtr(t, "same best-margin MSE", same.BestMarginMSE, 0)

	// Negated teacher scores. h1: t = [4 3 2 1], teacher margins 1, 2, 3,
	// system margins −1, −2, −3: (4 + 16 + 36)/3 = 56/3. h2: t = [1 5 3],
	// best f, margins 4, 2 against −4, −2: (64 + 16)/2 = 40.
	rev := c.Rows[2].Agreement
	checkPtr(t, "reversed τ", rev.KendallTau, -1)
	checkPtr(t, "reversed ρ", rev.SpearmanRho, -1)
	checkPtr(t, "reversed best-margin MSE", rev.BestMarginMSE, (56.0/3+40)/2)
	if q := rev.PerQuery[1]; q.QueryID != "h2" || q.Candidates != 3 {
		t.Errorf("per-query[1] = %+v, want h2 with 3 candidates", q)
	}
	checkPtr(t, "reversed h1 best-margin MSE", rev.PerQuery[0].BestMarginMSE, 56.0/3)
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
		// Constant scores: τ, ρ undefined, best-margin MSE defined (margin 1 → 0): 1.
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
	checkPtr(t, "best-margin MSE (h1, h3)", a.BestMarginMSE, (1.0+1.0)/2)
	if q := a.PerQuery[1]; q.Candidates != 1 || q.KendallTau != nil || q.BestMarginMSE != nil {
		t.Errorf("h2 = %+v, want 1 candidate and no values", q)
	}
	if q := a.PerQuery[2]; q.KendallTau != nil || q.SpearmanRho != nil || q.BestMarginMSE == nil {
		t.Errorf("h3 = %+v, want τ, ρ undefined and best-margin MSE set", q)
	}

	none := agreement(map[string]map[string]float32{"other": {"x": 1}}, teacher)
	if none.Queries != 0 || none.KendallTau != nil || none.BestMarginMSE != nil {
		t.Errorf("no overlap = %+v, want empty", none)
	}
}

// TestAgreementJSONKeys checks that the best-margin MSE is written under
// its own key and again under "margin_mse", its key in earlier reports, and
// read from either.
func TestAgreementJSONKeys(t *testing.T) {
	v := 2.5
	a := Agreement{Queries: 1, BestMarginMSE: &v, PerQuery: []QueryAgreement{{QueryID: "q", Candidates: 2, BestMarginMSE: &v}}}
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var keys struct {
		Best     *float64 `json:"best_margin_mse"`
		Legacy   *float64 `json:"margin_mse"`
		PerQuery []struct {
			Best   *float64 `json:"best_margin_mse"`
			Legacy *float64 `json:"margin_mse"`
		} `json:"per_query"`
	}
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	checkPtr(t, "best_margin_mse", keys.Best, v)
	checkPtr(t, "margin_mse", keys.Legacy, v)
	checkPtr(t, "per_query best_margin_mse", keys.PerQuery[0].Best, v)
	checkPtr(t, "per_query margin_mse", keys.PerQuery[0].Legacy, v)
	if noValue, _ := json.Marshal(QueryAgreement{QueryID: "q"}); strings.Contains(string(noValue), "margin") {
		t.Errorf("unset value written: %s", noValue)
	}

	for _, c := range []struct {
		name, json      string
		want, wantQuery float64
	}{
		{"earlier report", `{"queries":1,"margin_mse":1.5,"per_query":[{"query_id":"q","candidates":2,"margin_mse":0.5}]}`, 1.5, 0.5},
		{"both keys", `{"queries":1,"best_margin_mse":3,"margin_mse":3,"per_query":[{"query_id":"q","candidates":2,"margin_mse":4,"best_margin_mse":4}]}`, 3, 4},
	} {
		var back Agreement
		if err := json.Unmarshal([]byte(c.json), &back); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkPtr(t, c.name, back.BestMarginMSE, c.want)
		checkPtr(t, c.name+" per query", back.PerQuery[0].BestMarginMSE, c.wantQuery)
	}
	var bad Agreement
	if err := json.Unmarshal([]byte(`{"margin_mse":"x"}`), &bad); err == nil || !strings.Contains(err.Error(), "margin_mse") {
		t.Errorf("a string margin_mse: got %v, want an error naming the key", err)
	}
}
