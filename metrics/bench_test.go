package metrics

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// syntheticRun builds queries × docs run entries with random scores and ten
// graded judgements per query, half of them retrieved.
func syntheticRun(queries, docs int) (datasets.Run, datasets.Qrels) {
	rng := rand.New(rand.NewPCG(11, 13))
	run := make(datasets.Run, queries)
	qrels := make(datasets.Qrels, queries)
	for q := range queries {
		qid := fmt.Sprintf("q%d", q)
		entries := make([]datasets.RunEntry, docs)
		for d := range entries {
			entries[d] = datasets.RunEntry{QueryID: qid, DocID: fmt.Sprintf("d%d", d), Rank: d + 1, Score: rng.Float64()}
		}
		run[qid] = entries
		judged := make(map[string]int, 10)
		for j := range 10 {
			judged[fmt.Sprintf("d%d", rng.IntN(2*docs))] = j % 4
		}
		qrels[qid] = judged
	}
	return run, qrels
}

func BenchmarkEvaluate(b *testing.B) {
	run, qrels := syntheticRun(1000, 1000)
	measures := []Measure{MRR10, NDCG10, Recall100, Recall1000, MAP, P10, NDCG, NumRelRet}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(run, qrels, measures, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteTREC(b *testing.B) {
	run, qrels := syntheticRun(1000, 100)
	res, err := Evaluate(run, qrels, []Measure{MRR10, NDCG10, Recall100, MAP}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := res.WriteTREC(io.Discard, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKendallTau1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := make([]float64, 1000), make([]float64, 1000)
	for i := range x {
		x[i], y[i] = rng.Float64(), rng.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		KendallTau(x, y)
	}
}

func BenchmarkPairedRandomization(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	x, y := make([]float64, 1000), make([]float64, 1000)
	for i := range x {
		x[i], y[i] = rng.Float64(), rng.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		PairedRandomization(x, y, 10000, 1)
	}
}
