package metrics

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

func log2(x float64) float64 { return math.Log2(x) }

// Hand-worked values for the fixture (see fixture_test.go).
var (
	// q1 ideal gains [2 1 1 1]; IDCG = 2/1 + 1/log2 3 + 1/log2 4 + 1/log2 5.
	q1IDCG = 2 + 1/log2(3) + 1/log2(4) + 1/log2(5)
	// q1 DCG: rel 1 at rank 1, 2 at rank 3, 1 at rank 5.
	q1DCG = 1/log2(2) + 2/log2(4) + 1/log2(6)
	// q1 DCG@3 = 1 + 2/log2 4 = 2; IDCG@3 = 2 + 1/log2 3 + 1/log2 4.
	q1NDCG3 = 2 / (2 + 1/log2(3) + 1/log2(4))
	// q1 AP: relevant at ranks 1, 3, 5 of num_rel 4.
	q1AP = (1.0/1 + 2.0/3 + 3.0/5) / 4
	// q2: only b (rel 3) relevant, at rank 4; IDCG = 3/log2 2 = 3.
	q2NDCG = (3 / log2(5)) / 3
)

func TestEvaluatePerQuery(t *testing.T) {
	run, qrels := fixture()
	tests := []struct {
		name string
		opts Options
		qid  string
		m    Measure
		want float64
	}{
		{"q1 num_ret drops duplicate", Options{}, "q1", NumRet, 5},
		{"q1 num_rel counts unretrieved d9", Options{}, "q1", NumRel, 4},
		{"q1 num_rel_ret", Options{}, "q1", NumRelRet, 3},
		{"q1 map", Options{}, "q1", MAP, q1AP},
		{"q1 recip_rank", Options{}, "q1", RecipRank, 1},
		{"q1 P_5", Options{}, "q1", PrecisionAt(5), 3.0 / 5},
		{"q1 P_10 pads with non-relevant", Options{}, "q1", P10, 3.0 / 10},
		{"q1 P_2 tie puts unjudged d5 second", Options{}, "q1", PrecisionAt(2), 1.0 / 2},
		{"q1 recall_3", Options{}, "q1", RecallAt(3), 2.0 / 4},
		{"q1 recall_100", Options{}, "q1", Recall100, 3.0 / 4},
		{"q1 ndcg graded gain = rel", Options{}, "q1", NDCG, q1DCG / q1IDCG},
		{"q1 ndcg_cut_3 tie order", Options{}, "q1", NDCGCut(3), q1NDCG3},
		{"q1 ndcg_cut_1", Options{}, "q1", NDCGCut(1), 1.0 / 2},
		{"q1 ndcg_cut_10 ideal shorter than cut", Options{}, "q1", NDCG10, q1DCG / q1IDCG},

		// Threshold 2 (trec_eval -l 2): only d3 (rank 3) is relevant.
		{"l2 num_rel", Options{RelevanceLevel: 2}, "q1", NumRel, 1},
		{"l2 map", Options{RelevanceLevel: 2}, "q1", MAP, 1.0 / 3},
		{"l2 recip_rank", Options{RelevanceLevel: 2}, "q1", RecipRank, 1.0 / 3},
		{"l2 recip_rank_cut_2", Options{RelevanceLevel: 2}, "q1", RecipRankCut(2), 0},
		{"l2 recip_rank_cut_3", Options{RelevanceLevel: 2}, "q1", RecipRankCut(3), 1.0 / 3},
		{"l2 P_5", Options{RelevanceLevel: 2}, "q1", PrecisionAt(5), 1.0 / 5},
		{"l2 recall_100", Options{RelevanceLevel: 2}, "q1", Recall100, 1},
		{"l2 ndcg ignores threshold", Options{RelevanceLevel: 2}, "q1", NDCG, q1DCG / q1IDCG},

		// -M 3: the ranking is d1 d5 d3.
		{"M3 num_ret", Options{MaxRetrieved: 3}, "q1", NumRet, 3},
		{"M3 map", Options{MaxRetrieved: 3}, "q1", MAP, (1.0/1 + 2.0/3) / 4},
		{"M3 P_5", Options{MaxRetrieved: 3}, "q1", PrecisionAt(5), 2.0 / 5},
		{"M3 ndcg", Options{MaxRetrieved: 3}, "q1", NDCG, 2 / q1IDCG},

		// q2: negative judgement c and unjudged x gain nothing; b at rank 4.
		{"q2 num_rel", Options{}, "q2", NumRel, 1},
		{"q2 num_ret", Options{}, "q2", NumRet, 4},
		{"q2 map", Options{}, "q2", MAP, 1.0 / 4},
		{"q2 recip_rank", Options{}, "q2", RecipRank, 1.0 / 4},
		{"q2 MRR@3 misses rank 4", Options{}, "q2", RecipRankCut(3), 0},
		{"q2 MRR@10", Options{}, "q2", MRR10, 1.0 / 4},
		{"q2 ndcg", Options{}, "q2", NDCG, q2NDCG},
		{"q2 ndcg_cut_3", Options{}, "q2", NDCGCut(3), 0},
		{"q2 ndcg_cut_4", Options{}, "q2", NDCGCut(4), q2NDCG},

		// q5: judged but nothing relevant: every measure 0.
		{"q5 map", Options{}, "q5", MAP, 0},
		{"q5 recall", Options{}, "q5", Recall100, 0},
		{"q5 ndcg", Options{}, "q5", NDCG, 0},
		{"q5 num_ret", Options{}, "q5", NumRet, 1},

		// -c: q3 is evaluated as an empty ranking.
		{"c q3 map", Options{CompleteQueries: true}, "q3", MAP, 0},
		{"c q3 num_rel", Options{CompleteQueries: true}, "q3", NumRel, 1},
		{"c q3 num_ret", Options{CompleteQueries: true}, "q3", NumRet, 0},
		{"c q3 ndcg", Options{CompleteQueries: true}, "q3", NDCG, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Evaluate(run, qrels, []Measure{tc.m}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := res.PerQuery[tc.qid][tc.m]
			if !ok {
				t.Fatalf("no value for %s %s", tc.qid, tc.m)
			}
			if math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("got %.12f, want %.12f", got, tc.want)
			}
		})
	}
}

func TestEvaluateQueriesAndMeans(t *testing.T) {
	run, qrels := fixture()
	ms := []Measure{MAP, RecipRank, NumRel, NumRet}

	res, err := Evaluate(run, qrels, ms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// q3 (not in run) and q4 (not judged) are skipped.
	if want := []string{"q1", "q2", "q5"}; !slices.Equal(res.QueryIDs, want) {
		t.Fatalf("QueryIDs = %v, want %v", res.QueryIDs, want)
	}
	checkClose(t, "mean map", res.Mean[MAP], (q1AP+0.25+0)/3)
	checkClose(t, "mean recip_rank", res.Mean[RecipRank], (1+0.25+0)/3)
	sum, _ := res.Summary(NumRel)
	checkClose(t, "all num_rel (sum)", sum, 4+1+0)
	sum, _ = res.Summary(NumRet)
	checkClose(t, "all num_ret (sum)", sum, 5+4+1)
	checkClose(t, "mean num_ret", res.Mean[NumRet], 10.0/3)

	res, err = Evaluate(run, qrels, ms, Options{CompleteQueries: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"q1", "q2", "q3", "q5"}; !slices.Equal(res.QueryIDs, want) {
		t.Fatalf("-c QueryIDs = %v, want %v", res.QueryIDs, want)
	}
	checkClose(t, "-c mean map", res.Mean[MAP], (q1AP+0.25+0+0)/4)
	sum, _ = res.Summary(NumRel)
	checkClose(t, "-c all num_rel", sum, 6)
}

// TestEvaluateTrecEvalDocumented checks examples from trec_eval's own
// measure descriptions.
func TestEvaluateTrecEvalDocumented(t *testing.T) {
	// m_P.c: "if a method retrieves 15 docs of which 4 are relevant, then
	// P20 is 0.2 (4/20)".
	run := datasets.Run{}
	qrels := datasets.Qrels{"q": {}}
	for i := range 15 {
		id := string(rune('a' + i))
		run["q"] = append(run["q"], datasets.RunEntry{QueryID: "q", DocID: id, Score: float64(100 - i)})
		if i%4 == 0 { // a e i m
			qrels["q"][id] = 1
		}
	}
	res, err := Evaluate(run, qrels, []Measure{PrecisionAt(20), PrecisionAt(15)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "P_20", res.Mean[PrecisionAt(20)], 0.2)
	checkClose(t, "P_15", res.Mean[PrecisionAt(15)], 4.0/15)

	// m_ndcg.c: gains are the relevance levels. A single doc of level 3
	// ranked second against an ideal of it first: (3/log2 3)/(3/1).
	run = datasets.Run{"q": {{DocID: "n", Score: 2}, {DocID: "r", Score: 1}}}
	qrels = datasets.Qrels{"q": {"r": 3, "n": 0}}
	res, err = Evaluate(run, qrels, []Measure{NDCG}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "ndcg", res.Mean[NDCG], 1/log2(3))
}

func TestEvaluateTieBreakDocIDDescending(t *testing.T) {
	// Three docs with one score. strcmp order is "d1" < "d10" < "d2", so
	// trec_eval's descending docno tie-break ranks them d2, d10, d1.
	run := datasets.Run{"q": {{DocID: "d1", Score: 1}, {DocID: "d10", Score: 1}, {DocID: "d2", Score: 1}}}
	for _, tc := range []struct {
		relevant string
		wantRR   float64
	}{{"d2", 1}, {"d10", 1.0 / 2}, {"d1", 1.0 / 3}} {
		qrels := datasets.Qrels{"q": {tc.relevant: 1}}
		res, err := Evaluate(run, qrels, []Measure{RecipRank}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkClose(t, "recip_rank "+tc.relevant, res.Mean[RecipRank], tc.wantRR)
	}
}

func TestEvaluateDuplicateKeepsFirst(t *testing.T) {
	// d first appears with score 0 (last place), later with 9: the later
	// entry is dropped, so d stays at rank 2.
	run := datasets.Run{"q": {{DocID: "d", Score: 0}, {DocID: "e", Score: 1}, {DocID: "d", Score: 9}}}
	qrels := datasets.Qrels{"q": {"d": 1}}
	res, err := Evaluate(run, qrels, []Measure{RecipRank, NumRet}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "recip_rank", res.Mean[RecipRank], 0.5)
	checkClose(t, "num_ret", res.Mean[NumRet], 2)
}

func TestEvaluateAliasesCanonicalised(t *testing.T) {
	run, qrels := fixture()
	res, err := Evaluate(run, qrels, []Measure{"nDCG@10", "ndcg_cut_10", "MRR@10", "R@100", "map"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Measure{MAP, MRR10, Recall100, NDCG10} // trec_eval order, deduplicated
	if !slices.Equal(res.Measures, want) {
		t.Fatalf("Measures = %v, want %v", res.Measures, want)
	}
	if v, ok := res.Summary("nDCG@10"); !ok || v != res.Mean[NDCG10] {
		t.Errorf("Summary(nDCG@10) = %v, %v", v, ok)
	}
}

func TestEvaluateErrors(t *testing.T) {
	run, qrels := fixture()
	tests := []struct {
		name  string
		run   datasets.Run
		qrels datasets.Qrels
		ms    []Measure
		opts  Options
		want  error
	}{
		{"no measures", run, qrels, nil, Options{}, ErrNoMeasures},
		{"unknown measure", run, qrels, []Measure{"bpref"}, Options{}, ErrUnknownMeasure},
		{"zero cut-off", run, qrels, []Measure{"P_0"}, Options{}, ErrBadCutoff},
		{"negative level", run, qrels, []Measure{MAP}, Options{RelevanceLevel: -1}, ErrInvalidOption},
		{"negative max", run, qrels, []Measure{MAP}, Options{MaxRetrieved: -5}, ErrInvalidOption},
		{"disjoint queries", datasets.Run{"x": {{DocID: "d", Score: 1}}}, qrels, []Measure{MAP}, Options{}, ErrNoQueries},
		{"NaN score", datasets.Run{"q1": {{DocID: "d1", Score: math.NaN()}}}, qrels, []Measure{MAP}, Options{}, ErrNaNScore},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(tc.run, tc.qrels, tc.ms, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	var se *ScoreError
	_, err := Evaluate(datasets.Run{"q1": {{DocID: "d1", Score: math.NaN()}}}, qrels, []Measure{MAP}, Options{})
	if !errors.As(err, &se) || se.QueryID != "q1" || se.DocID != "d1" {
		t.Errorf("ScoreError = %#v", err)
	}
}

func TestPairedValues(t *testing.T) {
	run, qrels := fixture()
	a, err := Evaluate(run, qrels, []Measure{MAP}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Evaluate(run, qrels, []Measure{MAP}, Options{CompleteQueries: true})
	if err != nil {
		t.Fatal(err)
	}
	qids, x, y, err := PairedValues(a, b, "AP")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(qids, []string{"q1", "q2", "q5"}) || !slices.Equal(x, y) || len(x) != 3 {
		t.Errorf("PairedValues = %v %v %v", qids, x, y)
	}
	if _, _, _, err := PairedValues(a, b, NDCG); !errors.Is(err, ErrMeasureNotEvaluated) {
		t.Errorf("err = %v, want ErrMeasureNotEvaluated", err)
	}
	if got := a.Values(MAP); !slices.Equal(got, x) {
		t.Errorf("Values = %v, want %v", got, x)
	}
}

func checkClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %.12f, want %.12f", what, got, want)
	}
}
