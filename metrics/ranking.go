package metrics

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/distill-ml/distill/datasets"
)

// Judgement markers in a ranking, as in trec_eval's form_res_rels.
const (
	relNotJudged  = -1 // retrieved but absent from the qrels (RELVALUE_NONPOOL)
	relUnjudgedIn = -2 // in the qrels with a negative value (RELVALUE_UNJUDGED)
)

// judgedRanking is one query's run joined with its judgements.
type judgedRanking struct {
	// rels[i] is the judgement of the document at rank i+1: a value ≥ 0,
	// relNotJudged or relUnjudgedIn.
	rels []int
	// ideal lists the query's positive judgements in decreasing order: the
	// gains of the ideal ranking.
	ideal []int
	// numRel counts judgements ≥ the relevance level.
	numRel int
}

// rankedDoc is a run entry during sorting.
type rankedDoc struct {
	score float64
	docID string
}

// ranker builds judgedRankings, reusing its buffers between queries.
// Not safe for concurrent use.
type ranker struct {
	level, maxRet int
	docs          []rankedDoc
	seen          map[string]struct{}
	jr            judgedRanking
}

func newRanker(opts Options) *ranker {
	return &ranker{level: opts.RelevanceLevel, maxRet: opts.MaxRetrieved, seen: make(map[string]struct{})}
}

// rank joins entries (possibly nil) with judged. The result is valid until
// the next call.
//
// Steps, following trec_eval: drop repeated document ids (keeping the first
// entry; trec_eval rejects the run instead), sort by score descending and
// document id descending, keep the top maxRet, look up each judgement.
func (r *ranker) rank(qid string, entries []datasets.RunEntry, judged map[string]int) (*judgedRanking, error) {
	r.docs = r.docs[:0]
	clear(r.seen)
	for _, e := range entries {
		if math.IsNaN(e.Score) {
			return nil, &ScoreError{QueryID: qid, DocID: e.DocID, Err: ErrNaNScore}
		}
		if _, dup := r.seen[e.DocID]; dup {
			continue
		}
		r.seen[e.DocID] = struct{}{}
		r.docs = append(r.docs, rankedDoc{score: e.Score, docID: e.DocID})
	}
	slices.SortFunc(r.docs, compareRanked)
	if r.maxRet > 0 && len(r.docs) > r.maxRet {
		r.docs = r.docs[:r.maxRet]
	}

	jr := &r.jr
	jr.rels = jr.rels[:0]
	for _, d := range r.docs {
		rel, ok := judged[d.docID]
		switch {
		case !ok:
			rel = relNotJudged
		case rel < 0:
			rel = relUnjudgedIn
		}
		jr.rels = append(jr.rels, rel)
	}
	jr.ideal = jr.ideal[:0]
	jr.numRel = 0
	for _, rel := range judged {
		if rel > 0 {
			jr.ideal = append(jr.ideal, rel)
		}
		if rel >= r.level {
			jr.numRel++
		}
	}
	slices.SortFunc(jr.ideal, func(a, b int) int { return cmp.Compare(b, a) })
	return jr, nil
}

// compareRanked is trec_eval's comp_sim_docno: higher score first, and for
// equal scores the larger document id (byte order) first.
func compareRanked(a, b rankedDoc) int {
	if a.score > b.score {
		return -1
	}
	if a.score < b.score {
		return 1
	}
	return strings.Compare(b.docID, a.docID)
}
