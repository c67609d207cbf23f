package metrics

import "github.com/distill-ml/distill/datasets"

// Hand-made fixture used by the golden tests. Ranks in the run are
// deliberately wrong: trec_eval ignores them.
//
//	q1  qrels: d1=1 d2=0 d3=2 d4=1 d9=1 (d9 never retrieved)
//	    run:   d1 0.9, d5 0.8, d3 0.8, d2 0.7, d4 0.5, d1 0.1 (duplicate)
//	    ranking after sort (d5 > d3 on the tie, docid descending) and
//	    dropping the duplicate: d1 d5 d3 d2 d4 → rels [1, -, 2, 0, 1]
//	q2  qrels: a=0 b=3 c=-1 (negative judgement)
//	    run:   a 2.0, c 1.5, x 1.0, b 1.0
//	    ranking: a c x b (x > b on the tie) → rels [0, neg, -, 3]
//	q3  qrels: d1=1, absent from the run (counted only with -c)
//	q4  run only, no judgements: never evaluated
//	q5  qrels: e=0 (judged, nothing relevant); run: e 1.0
func fixture() (datasets.Run, datasets.Qrels) {
	entry := func(q, d string, rank int, s float64) datasets.RunEntry {
		return datasets.RunEntry{QueryID: q, DocID: d, Rank: rank, Score: s, Tag: "t"}
	}
	run := datasets.Run{
		"q1": {
			entry("q1", "d1", 6, 0.9), entry("q1", "d5", 5, 0.8), entry("q1", "d3", 4, 0.8),
			entry("q1", "d2", 3, 0.7), entry("q1", "d4", 2, 0.5), entry("q1", "d1", 1, 0.1),
		},
		"q2": {entry("q2", "b", 1, 1.0), entry("q2", "x", 2, 1.0), entry("q2", "c", 3, 1.5), entry("q2", "a", 4, 2.0)},
		"q4": {entry("q4", "z", 1, 1.0)},
		"q5": {entry("q5", "e", 1, 1.0)},
	}
	qrels := datasets.Qrels{
		"q1": {"d1": 1, "d2": 0, "d3": 2, "d4": 1, "d9": 1},
		"q2": {"a": 0, "b": 3, "c": -1},
		"q3": {"d1": 1},
		"q5": {"e": 0},
	}
	return run, qrels
}
