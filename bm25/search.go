package bm25

import (
	"fmt"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/topk"
)

// Search returns the k documents with the highest BM25 score for query, best
// first; ties go to the smaller document id. Documents sharing no term with
// the query are never returned, so fewer than k hits may come back. It
// returns nil for k ≤ 0 or a query without indexed terms.
//
// Scoring is term at a time: each query term's postings add into a dense
// accumulator, and a size-k heap picks the best of the touched documents.
func (ix *Index) Search(query string, k int) []datasets.Hit {
	if k <= 0 || len(ix.ids) == 0 {
		return nil
	}
	s := ix.getScratch()
	defer ix.pool.Put(s)

	s.terms = ix.queryTerms(query, s.terms[:0])
	norm := ix.params.lengthNorm(ix.avgDocLen())
	for _, qt := range s.terms {
		w := float64(qt.count) * IDF(len(ix.postings[qt.id]), ix.docCount)
		for _, p := range ix.postings[qt.id] {
			tf := float64(p.tf)
			if s.acc[p.doc] == 0 {
				s.touched = append(s.touched, p.doc)
			}
			s.acc[p.doc] += w * tf / (tf + norm.at(ix.lengths[p.doc]))
		}
	}

	if s.top == nil {
		s.top = topk.New(k, ix.before)
	}
	s.top.Reset(k)
	for _, d := range s.touched {
		s.top.Offer(scored{doc: d, score: s.acc[d]})
		s.acc[d] = 0
	}
	s.touched = s.touched[:0]
	best := s.top.Drain()
	hits := make([]datasets.Hit, len(best))
	for i, b := range best {
		hits[i] = datasets.Hit{DocID: ix.ids[b.doc], Score: b.score}
	}
	return hits
}

// Score returns the BM25 score of document docID for query, the value Search
// would report for it (0 when they share no term), or an error wrapping
// ErrUnknownDoc.
func (ix *Index) Score(query, docID string) (float64, error) {
	doc, ok := ix.ordinal[docID]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrUnknownDoc, docID)
	}
	var buf [16]queryTerm
	norm := ix.params.lengthNorm(ix.avgDocLen())
	score := 0.0
	for _, qt := range ix.queryTerms(query, buf[:0]) {
		ps := ix.postings[qt.id]
		if i, found := findPosting(ps, doc); found {
			tf := float64(ps[i].tf)
			w := float64(qt.count) * IDF(len(ps), ix.docCount)
			score += w * tf / (tf + norm.at(ix.lengths[doc]))
		}
	}
	return score, nil
}

// findPosting binary-searches ps, sorted by document, for doc.
func findPosting(ps []posting, doc int32) (int, bool) {
	lo, hi := 0, len(ps)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if ps[mid].doc < doc {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(ps) && ps[lo].doc == doc
}
