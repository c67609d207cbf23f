package metrics

import (
	"slices"

	"github.com/distill-ml/distill/datasets"
)

// Evaluate computes measures for run against qrels with trec_eval's
// conventions (see the package documentation), per query and averaged.
//
// Measure names are canonicalised with ParseMeasure, so aliases such as
// "nDCG@10" are accepted and reported under their trec_eval name
// ("ndcg_cut_10"); repeated measures are computed once. A query is evaluated
// when it has at least one judgement and at least one run entry, or, with
// opts.CompleteQueries, at least one judgement.
//
// Errors: *MeasureError, *OptionError, *ScoreError (NaN score), ErrNoMeasures
// and ErrNoQueries.
func Evaluate(run datasets.Run, qrels datasets.Qrels, measures []Measure, opts Options) (*Result, error) {
	specs, err := parseMeasures(measures)
	if err != nil {
		return nil, err
	}
	opts, err = opts.normalized()
	if err != nil {
		return nil, err
	}
	qids := evaluatedQueries(run, qrels, opts.CompleteQueries)
	if len(qids) == 0 {
		return nil, ErrNoQueries
	}

	res := &Result{
		Measures: make([]Measure, len(specs)),
		QueryIDs: qids,
		PerQuery: make(map[string]map[Measure]float64, len(qids)),
		Mean:     make(map[Measure]float64, len(specs)),
		Options:  opts,
	}
	for i, s := range specs {
		res.Measures[i] = s.name()
	}
	sums := make([]float64, len(specs))
	rk := newRanker(opts)
	for _, qid := range qids {
		jr, err := rk.rank(qid, run[qid], qrels[qid])
		if err != nil {
			return nil, err
		}
		values := make(map[Measure]float64, len(specs))
		for i, s := range specs {
			v := s.compute(jr, opts.RelevanceLevel)
			values[res.Measures[i]] = v
			sums[i] += v // summed in query-id order, as trec_eval does
		}
		res.PerQuery[qid] = values
	}
	for i, m := range res.Measures {
		res.Mean[m] = sums[i] / float64(len(qids))
	}
	return res, nil
}

// parseMeasures canonicalises, de-duplicates and orders measures as
// trec_eval prints them.
func parseMeasures(measures []Measure) ([]spec, error) {
	if len(measures) == 0 {
		return nil, ErrNoMeasures
	}
	specs := make([]spec, 0, len(measures))
	for _, m := range measures {
		s, err := parseSpec(string(m))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(specs, s) {
			specs = append(specs, s)
		}
	}
	slices.SortFunc(specs, func(a, b spec) int {
		switch {
		case a.less(b):
			return -1
		case b.less(a):
			return 1
		}
		return 0
	})
	return specs, nil
}

// evaluatedQueries lists, in byte order, the judged queries that have run
// entries, or all judged queries when complete is set.
func evaluatedQueries(run datasets.Run, qrels datasets.Qrels, complete bool) []string {
	qids := make([]string, 0, len(qrels))
	for qid, judged := range qrels {
		if len(judged) == 0 {
			continue // no judgement: not a judged query
		}
		if complete || len(run[qid]) > 0 {
			qids = append(qids, qid)
		}
	}
	slices.Sort(qids)
	return qids
}

// compute evaluates one measure on one query.
func (s spec) compute(jr *judgedRanking, level int) float64 {
	switch s.fam {
	case famNumRet:
		return float64(len(jr.rels))
	case famNumRel:
		return float64(jr.numRel)
	case famNumRelRet:
		return float64(relevantInTop(jr, level, len(jr.rels)))
	case famMAP:
		return averagePrecision(jr, level)
	case famRecipRank:
		return reciprocalRank(jr, level, 0)
	case famRecipRankCut:
		return reciprocalRank(jr, level, s.k)
	case famP:
		return precisionAt(jr, level, s.k)
	case famRecall:
		return recallAt(jr, level, s.k)
	case famNDCG:
		return ndcgAt(jr, 0)
	case famNDCGCut:
		return ndcgAt(jr, s.k)
	}
	panic("metrics: unhandled measure family " + familyNames[s.fam])
}
