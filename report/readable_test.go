package report

import (
	"math"
	"slices"
	"testing"

	"github.com/distill-ml/distill/metrics"
)

func TestSortQueryIDs(t *testing.T) {
	ids := []string{"15", "1", "106", "q2", "100", "2", "q10", "b"}
	sortQueryIDs(ids)
	if want := []string{"1", "2", "15", "100", "106", "b", "q10", "q2"}; !slices.Equal(ids, want) {
		t.Errorf("sorted %v, want %v", ids, want)
	}
}

// TestBootstrapCI95: the interval holds the mean, narrows with more
// queries, is the same for the same seed, and is a point for constant
// values.
func TestBootstrapCI95(t *testing.T) {
	vals := []float64{0, 1, 0, 1, 1, 0, 1, 0, 0, 1}
	a := bootstrapCI95(vals, 1000, 1)
	if !(a[0] < 0.5 && 0.5 < a[1]) || a[0] < 0.1 || a[1] > 0.9 {
		t.Errorf("CI of ten 0/1 values with mean 0.5: %v", a)
	}
	if b := bootstrapCI95(vals, 1000, 1); b != a {
		t.Errorf("same seed: %v then %v", a, b)
	}
	// The normal approximation: ±1.96·σ/√n, σ = 0.5 → ±0.31 for n = 10.
	if w := a[1] - a[0]; math.Abs(w-0.62) > 0.12 {
		t.Errorf("width %v, want about 0.62", w)
	}
	many := slices.Repeat(vals, 40) // n = 400: ±0.049
	if c := bootstrapCI95(many, 1000, 1); c[1]-c[0] > 0.14 || c[1]-c[0] < 0.06 {
		t.Errorf("CI of 400 values: %v, want width about 0.1", c)
	}
	if c := bootstrapCI95([]float64{0.3, 0.3, 0.3}, 1000, 1); c != [2]float64{0.3, 0.3} {
		t.Errorf("constant values: %v", c)
	}
}

// TestCompareCIs: every reported measure has an interval around its mean;
// a measure cut deeper than a row's list has neither.
func TestCompareCIs(t *testing.T) {
	systems := fixtureSystems()
	systems[2].Depth = 2
	c, err := Compare(systems, fixtureQrels(), fixtureTeacher(), Options{Seed: 1,
		Measures: []metrics.Measure{metrics.MRR10, metrics.RecallAt(3)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows {
		for m, v := range r.Mean {
			ci, ok := r.CI95[m]
			if !ok || ci[0] > v+1e-12 || ci[1] < v-1e-12 {
				t.Errorf("%s %s: mean %v, CI %v", r.Name, m, v, ci)
			}
		}
	}
	r := c.Rows[2]
	if _, ok := r.Mean[metrics.RecallAt(3)]; ok {
		t.Errorf("R@3 reported for a list of depth 2")
	}
	if _, ok := r.CI95[metrics.RecallAt(3)]; ok {
		t.Errorf("a CI for an unreported measure")
	}
	if _, ok := r.Significance[metrics.RecallAt(3)]; ok {
		t.Errorf("a significance test of an unreported measure")
	}
}

func TestKindColors(t *testing.T) {
	rows := []Row{
		{Name: "BM25", Kind: "bm25"}, {Name: "BM25 → teacher@100", Kind: "teacher"},
		{Name: "colbert-kd", Kind: "colbert"}, {Name: "colbert-kd → teacher@20", Kind: "colbert+teacher"},
		{Name: "BM25 → colbert-kd@100", Kind: "colbert"}, {Name: "splade-kd", Kind: "splade"},
	}
	seen := map[[3]uint8]string{}
	for i := range rows {
		c := kindColor(&rows[i])
		k := [3]uint8{c.R, c.G, c.B}
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share a colour", rows[i].Name, other)
		}
		seen[k] = rows[i].Name
	}
	if kindColor(&Row{Name: "splade-judgements", Kind: "splade"}) != kindColor(&rows[5]) {
		t.Error("two SPLADE retrievers differ in colour")
	}
}

// TestStepsOfAnUntrainedCheckpoint: a student at step 0 (best/ can be the
// untrained checkpoint) shows 0 steps, a baseline "-".
func TestStepsOfAnUntrainedCheckpoint(t *testing.T) {
	c := &Comparison{Rows: []Row{{Name: "BM25", Kind: "bm25"}, {Name: "splade-kd", Kind: "splade"}, {Name: "colbert-kd", Kind: "colbert", Steps: 300}}}
	header, rows := c.cells()
	j := slices.Index(header, "Steps")
	if j < 0 || rows[0][j] != "-" || rows[1][j] != "0" || rows[2][j] != "300" {
		t.Errorf("Steps column %d of %v: %v", j, header, rows)
	}
}
