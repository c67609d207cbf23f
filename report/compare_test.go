package report

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/metrics"
)

func TestCompareMeasures(t *testing.T) {
	c := compareFixture(t)
	l3 := math.Log2(3)
	// Ranked judgements per query (see fixtureSystems):
	//   bm25:     q1 [1 0 0]  q2 [0 1]  q3 [1 2 ·]  q4 [0 0]
	//   student:  q1 [1]      q2 [1 0]  q3 [2 1]    q4 [· 1]
	//   reversed: q1 [0 1]    q2 [1]    q3 [·]      q4 (no results)
	// q3's ideal DCG is 2 + 1/log2 3.
	tests := []struct {
		system           string
		mrr, ndcg, recal float64
	}{
		{"bm25", (1 + 0.5 + 1 + 0) / 4, (1 + 1/l3 + (1+2/l3)/(2+1/l3) + 0) / 4, 3.0 / 4},
		{"student", (1 + 1 + 1 + 0.5) / 4, (1 + 1 + 1 + 1/l3) / 4, 1},
		{"reversed", (0.5 + 1 + 0 + 0) / 4, (1/l3 + 1 + 0 + 0) / 4, 2.0 / 4},
	}
	if want := []metrics.Measure{metrics.MRR10, metrics.NDCG10, metrics.Recall100}; !slices.Equal(c.Measures, want) {
		t.Errorf("Measures = %v, want %v (option order)", c.Measures, want)
	}
	for i, tc := range tests {
		t.Run(tc.system, func(t *testing.T) {
			r := c.Rows[i]
			if r.Name != tc.system {
				t.Fatalf("row %d = %q, want %q", i, r.Name, tc.system)
			}
			checkClose(t, "MRR@10", r.Mean[metrics.MRR10], tc.mrr)
			checkClose(t, "nDCG@10", r.Mean[metrics.NDCG10], tc.ndcg)
			checkClose(t, "R@100", r.Mean[metrics.Recall100], tc.recal)
			if len(r.PerQuery) != 4 {
				t.Errorf("per-query values for %d queries, want 4", len(r.PerQuery))
			}
		})
	}
	checkClose(t, "student q4 RR", c.Rows[1].PerQuery["q4"][metrics.MRR10], 0.5)
	checkClose(t, "reversed q4 nDCG (missing query)", c.Rows[2].PerQuery["q4"][metrics.NDCG10], 0)
}

func TestCompareQuerySet(t *testing.T) {
	c := compareFixture(t)
	if want := []string{"q1", "q2", "q3", "q4"}; !slices.Equal(c.QueryIDs, want) {
		t.Errorf("QueryIDs = %v, want %v: q5 is judged but retrieved by no system", c.QueryIDs, want)
	}
	all, err := Compare(fixtureSystems(), fixtureQrels(), nil, Options{Eval: metrics.Options{CompleteQueries: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.QueryIDs) != 5 {
		t.Errorf("with CompleteQueries: %d queries, want 5", len(all.QueryIDs))
	}
	checkClose(t, "bm25 MRR@10 over 5 queries", all.Rows[0].Mean[metrics.MRR10], 2.5/5)
}

func TestCompareProvenanceAndCost(t *testing.T) {
	c := compareFixture(t)
	bm25, student, splade := c.Rows[0], c.Rows[1], c.Rows[2]
	if bm25.Latency == nil || student.Latency == nil || splade.Latency != nil {
		t.Fatalf("latency presence = %v %v %v, want set, set, nil", bm25.Latency, student.Latency, splade.Latency)
	}
	// Type-7 percentiles of [1 2 3 4]: median 2.5, p95 = 3 + 0.85·1.
	checkClose(t, "bm25 median", bm25.Latency.MedianMS, 2.5)
	checkClose(t, "bm25 p95", bm25.Latency.P95MS, 3.85)
	checkClose(t, "student median", student.Latency.MedianMS, 10)
	if bm25.IndexBytes != 3<<20 || student.Steps != 2000 || student.CheckpointDir != "checkpoints/colbert-2000" {
		t.Errorf("provenance not copied: %+v", student)
	}
	checkPtr(t, "avg nnz", splade.AvgNonZeros, 123.5)
	checkPtr(t, "FLOPS", splade.FLOPS, 2.5)
	if student.AvgNonZeros != nil || student.FLOPS != nil {
		t.Errorf("ColBERT row has SPLADE cost")
	}
	if c.Baseline != "bm25" || c.Rows[0].Significance != nil {
		t.Errorf("baseline = %q with significance %v", c.Baseline, c.Rows[0].Significance)
	}
	if c.HeldOutQueries != 2 || c.Alpha != DefaultAlpha || c.Iterations != DefaultIterations || c.Marker != DefaultMarker {
		t.Errorf("settings = %d %v %d %q", c.HeldOutQueries, c.Alpha, c.Iterations, c.Marker)
	}
}

func TestCompareSignificance(t *testing.T) {
	systems, qrels := significanceFixture()
	c, err := Compare(systems, qrels, nil, Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	good, same := c.Rows[1], c.Rows[2]
	// Every query gains 1 − 1/10: only the all-same sign patterns reach the
	// observed sum, p ≈ 2/2^12 ≈ 0.0005.
	g := good.Significance[metrics.MRR10]
	if !g.Significant || g.PValue > 0.005 || g.Queries != 12 {
		t.Errorf("good vs base MRR@10 = %+v, want significant, p ≈ 0.0005, 12 queries", g)
	}
	checkClose(t, "good Δ MRR@10", g.Delta, 0.9)
	for m, s := range same.Significance {
		if s.Significant || s.PValue != 1 || s.Delta != 0 {
			t.Errorf("same vs base %s = %+v, want p = 1, not significant", m, s)
		}
	}
	if got := c.measureCell(&good, metrics.MRR10); got != "1.0000†" {
		t.Errorf("good MRR@10 cell = %q, want %q", got, "1.0000†")
	}
	if got := c.measureCell(&same, metrics.MRR10); got != "0.1000" {
		t.Errorf("same MRR@10 cell = %q, want %q", got, "0.1000")
	}
	// Recall@100 is 1 for every system: never marked.
	if s := good.Significance[metrics.Recall100]; s.Significant || s.PValue != 1 {
		t.Errorf("good vs base R@100 = %+v, want p = 1", s)
	}

	// Deterministic for a seed; a custom marker and level.
	again, _ := Compare(systems, qrels, nil, Options{Seed: 7})
	if again.Rows[1].Significance[metrics.MRR10] != g {
		t.Errorf("same seed gave %+v, want %+v", again.Rows[1].Significance[metrics.MRR10], g)
	}
	strict, err := Compare(systems, qrels, nil, Options{Seed: 7, Alpha: 0.0001, Marker: "*"})
	if err != nil {
		t.Fatal(err)
	}
	if strict.Rows[1].Significance[metrics.MRR10].Significant {
		t.Errorf("p = %v is significant at 0.0001", strict.Rows[1].Significance[metrics.MRR10].PValue)
	}
	loose, _ := Compare(systems, qrels, nil, Options{Seed: 7, Marker: "*"})
	if got := loose.measureCell(&loose.Rows[1], metrics.MRR10); got != "1.0000*" {
		t.Errorf("custom marker cell = %q", got)
	}
}

func TestCompareMeasuresOption(t *testing.T) {
	c, err := Compare(fixtureSystems(), fixtureQrels(), nil,
		Options{Measures: []metrics.Measure{"nDCG@10", "P@1", "ndcg_cut_10", "MRR@10"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []metrics.Measure{metrics.NDCG10, metrics.PrecisionAt(1), metrics.MRR10}
	if !slices.Equal(c.Measures, want) {
		t.Errorf("Measures = %v, want %v", c.Measures, want)
	}
	checkClose(t, "student P@1", c.Rows[1].Mean[metrics.PrecisionAt(1)], 0.75)
	if c.Rows[1].Agreement != nil {
		t.Errorf("agreement without teacher labels: %+v", c.Rows[1].Agreement)
	}
}

func TestCompareErrors(t *testing.T) {
	valid := fixtureSystems()
	dup := append(fixtureSystems(), System{Name: "student"})
	nan := fixtureSystems()
	nan[1].Run = run(map[string][]docScore{"q1": {{"d1", math.NaN()}}})
	badLog := fixtureSystems()
	badLog[1].MetricsLog = writeFile(t, "log.jsonl", "{\"step\":1}\nnot json\n{\"step\":2}\n")
	missingLog := fixtureSystems()
	missingLog[1].MetricsLog = "/nonexistent/metrics.jsonl"

	tests := []struct {
		name    string
		systems []System
		qrels   datasets.Qrels
		opts    Options
		want    error
		inMsg   string
	}{
		{"no systems", nil, fixtureQrels(), Options{}, ErrNoSystems, "no systems"},
		{"empty name", []System{{Run: valid[0].Run}}, fixtureQrels(), Options{}, ErrEmptyName, `"#1"`},
		{"duplicate name", dup, fixtureQrels(), Options{}, ErrDuplicateName, `"student"`},
		{"alpha too large", valid, fixtureQrels(), Options{Alpha: 1}, ErrInvalidOption, "Alpha"},
		{"alpha negative", valid, fixtureQrels(), Options{Alpha: -0.1}, ErrInvalidOption, "Alpha"},
		{"alpha NaN", valid, fixtureQrels(), Options{Alpha: math.NaN()}, ErrInvalidOption, "Alpha"},
		{"negative iterations", valid, fixtureQrels(), Options{Iterations: -1}, ErrInvalidOption, "Iterations"},
		{"unknown measure", valid, fixtureQrels(), Options{Measures: []metrics.Measure{"BLEU"}}, metrics.ErrUnknownMeasure, "BLEU"},
		{"bad eval option", valid, fixtureQrels(), Options{Eval: metrics.Options{MaxRetrieved: -1}}, metrics.ErrInvalidOption, `"bm25"`},
		{"no judged query retrieved", valid, datasets.Qrels{"q9": {"d1": 1}}, Options{}, metrics.ErrNoQueries, "evaluate"},
		{"NaN score", nan, fixtureQrels(), Options{}, metrics.ErrNaNScore, `"student"`},
		{"bad training log", badLog, fixtureQrels(), Options{}, ErrBadLogLine, "line 2"},
		{"missing training log", missingLog, fixtureQrels(), Options{}, nil, "nonexistent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(tc.systems, tc.qrels, fixtureTeacher(), tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v is not %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.inMsg) {
				t.Errorf("error %q does not mention %q", err, tc.inMsg)
			}
		})
	}
}
