package bm25

import "github.com/distill-ml/distill/internal/topk"

// queryTerm is a distinct indexed term of a query and how often it occurs.
type queryTerm struct {
	id    int32
	count int32
}

// queryTerms appends to dst the distinct query terms found in the
// vocabulary, in order of first occurrence, with their counts: a term
// repeated in the query weighs that many times, like Anserini's
// bag-of-words query, which boosts each term by its count.
func (ix *Index) queryTerms(query string, dst []queryTerm) []queryTerm {
	var buf [64]byte
	ix.params.Analyzer.eachTerm(query, buf[:0], func(term []byte, _ string) {
		id, ok := ix.vocab[string(term)]
		if !ok {
			return
		}
		for i := range dst {
			if dst[i].id == id {
				dst[i].count++
				return
			}
		}
		dst = append(dst, queryTerm{id: id, count: 1})
	})
	return dst
}

// searchScratch is the per-search working memory, pooled across searches.
type searchScratch struct {
	acc     []float64 // document ordinal → score so far; zero outside touched
	touched []int32   // documents with a non-zero accumulator
	top     *topk.Heap[scored]
	terms   []queryTerm
}

// getScratch returns scratch space sized for the current index.
func (ix *Index) getScratch() *searchScratch {
	s, _ := ix.pool.Get().(*searchScratch)
	if s == nil {
		s = new(searchScratch)
	}
	if len(s.acc) < len(ix.ids) {
		s.acc = make([]float64, len(ix.ids))
	}
	return s
}
