package report

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
)

// run builds a run from query id → (doc id, score) pairs in rank order.
func run(queries map[string][]docScore) datasets.Run {
	r := make(datasets.Run, len(queries))
	for qid, docs := range queries {
		for i, d := range docs {
			r[qid] = append(r[qid], datasets.RunEntry{QueryID: qid, DocID: d.doc, Rank: i + 1, Score: d.score, Tag: "test"})
		}
	}
	return r
}

type docScore struct {
	doc   string
	score float64
}

// fixtureQrels judges q1..q5; no system retrieves q5.
func fixtureQrels() datasets.Qrels {
	return datasets.Qrels{
		"q1": {"d1": 1},
		"q2": {"d2": 1},
		"q3": {"d3": 2, "d4": 1},
		"q4": {"d1": 1},
		"q5": {"d9": 1},
	}
}

// fixtureTeacher holds two held-out teacher rows.
func fixtureTeacher() []labels.Row {
	return []labels.Row{
		{QueryID: "h1", DocumentIDs: []string{"a", "b", "c", "d"}, Scores: []float32{4, 3, 2, 1}},
		{QueryID: "h2", DocumentIDs: []string{"e", "f", "g"}, Scores: []float32{1, 5, 3}},
	}
}

// teacherScores returns the teacher's scores multiplied by factor, as a
// system's Scores.
func teacherScores(factor float32) map[string]map[string]float32 {
	out := make(map[string]map[string]float32)
	for _, row := range fixtureTeacher() {
		out[row.QueryID] = make(map[string]float32)
		for i, d := range row.DocumentIDs {
			out[row.QueryID][d] = factor * row.Scores[i]
		}
	}
	return out
}

func ms(xs ...float64) []time.Duration {
	out := make([]time.Duration, len(xs))
	for i, x := range xs {
		out[i] = time.Duration(x * float64(time.Millisecond))
	}
	return out
}

// fixtureSystems are three systems on q1..q4 with hand-checked values
// (see TestCompareMeasures).
func fixtureSystems() []System {
	return []System{
		{
			Name: "bm25", Kind: "bm25",
			Run: run(map[string][]docScore{
				"q1": {{"d1", 3}, {"d2", 2}, {"d3", 1}},
				"q2": {{"d1", 3}, {"d2", 2}},
				"q3": {{"d4", 3}, {"d3", 2}, {"d5", 1}},
				"q4": {{"d2", 3}, {"d3", 2}},
			}),
			Latencies:  ms(1, 2, 3, 4),
			IndexBytes: 3 << 20,
		},
		{
			Name: "student", Kind: "colbert",
			Run: run(map[string][]docScore{
				"q1": {{"d1", 9}},
				"q2": {{"d2", 9}, {"d1", 1}},
				"q3": {{"d3", 3}, {"d4", 2}},
				"q4": {{"d5", 1}, {"d1", 0.5}},
			}),
			Scores:        teacherScores(1),
			Latencies:     ms(10, 10, 10, 10),
			IndexBytes:    12 << 20,
			Steps:         2000,
			LabelsUsed:    "labels/minilm-msmarco",
			CheckpointDir: "checkpoints/colbert-2000",
		},
		{
			Name: "reversed", Kind: "splade",
			Run: run(map[string][]docScore{
				"q1": {{"d2", 2}, {"d1", 1}},
				"q2": {{"d2", 1}},
				"q3": {{"d5", 1}},
			}),
			Scores:      teacherScores(-1),
			AvgNonZeros: new(123.5),
			FLOPS:       new(2.5),
			Steps:       500,
			LabelsUsed:  "labels/minilm-msmarco",
		},
	}
}

// significanceFixture returns 12 queries where "good" ranks the relevant
// document first and "base" and "same" rank it tenth.
func significanceFixture() ([]System, datasets.Qrels) {
	qrels := make(datasets.Qrels)
	bad, good := make(map[string][]docScore), make(map[string][]docScore)
	for i := range 12 {
		qid := "s" + itoa(10+i)
		qrels[qid] = map[string]int{"rel": 1}
		for j := range 9 {
			bad[qid] = append(bad[qid], docScore{"n" + itoa(j), float64(20 - j)})
		}
		bad[qid] = append(bad[qid], docScore{"rel", 1})
		good[qid] = []docScore{{"rel", 5}, {"n0", 1}}
	}
	return []System{
		{Name: "base", Run: run(bad)},
		{Name: "good", Run: run(good)},
		{Name: "same", Run: run(bad)},
	}, qrels
}

func compareFixture(t *testing.T) *Comparison {
	t.Helper()
	c, err := Compare(fixtureSystems(), fixtureQrels(), fixtureTeacher(), Options{Seed: 1})
	if err != nil {
		t.Fatalf("Compare: %v", err)
	}
	return c
}

func checkClose(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func checkPtr(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", name, want)
		return
	}
	checkClose(t, name, *got, want)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
