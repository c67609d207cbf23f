package retrieval

import (
	"fmt"
	"slices"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/topk"
)

// MaxSimRerank scores the given documents of the store against query (n×Dim
// token vectors, as MaxSimSearch) and returns them all, best first, ties
// broken by document id: a ColBERT model reranking a first stage's
// candidates from its stored document embeddings. A document without token
// vectors scores 0; an id the store does not hold is an error.
func (s *EmbeddingStore) MaxSimRerank(query []float32, docIDs []string) ([]datasets.Hit, error) {
	if err := s.checkQuery(query); err != nil {
		return nil, err
	}
	top := topk.New(len(docIDs), before)
	nq := len(query) / max(s.dim, 1)
	var sim []float32
	for _, id := range docIDs {
		d, err := s.lookup(id)
		if err != nil {
			return nil, err
		}
		lo, hi := s.offsets[d], s.offsets[d+1]
		t := int(hi - lo)
		sim = slices.Grow(sim[:0], nq*t)[:nq*t]
		doc := s.vecs[lo*int64(s.dim) : hi*int64(s.dim)]
		for i := range nq {
			q := query[i*s.dim : (i+1)*s.dim]
			for j := range t {
				var dot float32
				for k, v := range doc[j*s.dim : (j+1)*s.dim] {
					dot += q[k] * v
				}
				sim[i*t+j] = dot
			}
		}
		var score float32
		if t > 0 {
			score = maxSimOf(sim, t, 0, t, nq)
		}
		top.Offer(candidate{doc: d, tie: s.rank[d], score: score})
	}
	return hitsOf(top, s.ids), nil
}

// lookup returns the ordinal of document id.
func (s *EmbeddingStore) lookup(id string) (int32, error) {
	k, ok := slices.BinarySearchFunc(s.byID, id, func(d int32, id string) int {
		switch {
		case s.ids[d] < id:
			return -1
		case s.ids[d] > id:
			return 1
		}
		return 0
	})
	if !ok {
		return 0, fmt.Errorf("retrieval: rerank: document %q is not in the store", id)
	}
	return s.byID[k], nil
}

// Rerank scores the given documents of the index against q and returns them
// all, best first, ties broken by document id: a SPLADE model reranking a
// first stage's candidates from its indexed document vectors. A document
// sharing no term with q scores 0; an id the index does not hold is an error.
// Scores are those Search gives.
func (ix *SparseIndex) Rerank(q SparseVector, docIDs []string) ([]datasets.Hit, error) {
	ords := make([]int32, len(docIDs))
	for i, id := range docIDs {
		k, ok := slices.BinarySearch(ix.ids, id)
		if !ok {
			return nil, fmt.Errorf("retrieval: rerank: document %q is not in the index", id)
		}
		ords[i] = int32(k)
	}
	acc := ix.scratch.Get().(*accumulator)
	defer ix.scratch.Put(acc)
	ix.accumulate(acc, q)
	top := topk.New(len(docIDs), before)
	for _, d := range ords {
		top.Offer(candidate{doc: d, tie: d, score: float32(acc.score[d])})
	}
	for _, d := range acc.touched {
		acc.score[d] = 0
		acc.seen[d] = false
	}
	acc.touched = acc.touched[:0]
	return hitsOf(top, ix.ids), nil
}
