package retrieval

import (
	"sync"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/topk"
)

// SparseIndex is an immutable inverted index of sparse document vectors.
// Search is safe for concurrent use.
//
// Postings are stored in compressed-sparse-row form: the documents holding
// term t are docs[offsets[t]:offsets[t+1]] (ascending) with their weights at
// the same positions. Documents are numbered in id order.
type SparseIndex struct {
	vocab     int
	pruneTopK int
	key       string
	ids       []string
	offsets   []int64
	docs      []int32
	weights   []float32
	scratch   sync.Pool // *accumulator
}

// accumulator is per-search scratch space: a dense score per document, which
// documents were touched, and the heap. It is reused through a sync.Pool.
type accumulator struct {
	score   []float64 // float64: a dense query sums thousands of products
	seen    []bool
	touched []int32
	top     *topk.Heap[candidate]
}

func newSparseIndex(vocab, pruneTopK int, ids []string, offsets []int64, docs []int32, weights []float32) *SparseIndex {
	ix := &SparseIndex{vocab: vocab, pruneTopK: pruneTopK, ids: ids, offsets: offsets, docs: docs, weights: weights}
	ix.scratch.New = func() any {
		return &accumulator{score: make([]float64, len(ix.ids)), seen: make([]bool, len(ix.ids)), top: topk.New(0, before)}
	}
	return ix
}

// Len returns the number of documents.
func (ix *SparseIndex) Len() int { return len(ix.ids) }

// VocabSize returns the size of the vocabulary the index was built for.
func (ix *SparseIndex) VocabSize() int { return ix.vocab }

// DocID returns the id of document ordinal i (0 ≤ i < Len, in id order).
func (ix *SparseIndex) DocID(i int) string { return ix.ids[i] }

// Key returns the cache key the index was saved or loaded with ("" if none).
func (ix *SparseIndex) Key() string { return ix.key }

// Search returns the k documents with the highest dot product with q, best
// first, ties broken by document id ascending. Only documents sharing a term
// with a non-zero weight in q are returned, so there may be fewer than k.
//
// Scores are accumulated term at a time in q's term order into a dense
// float64 array over documents (rounded to float32 once, at the end). Query terms outside the vocabulary match
// nothing; a term listed twice counts twice. Weights must be finite (see
// SparseVector.Validate).
func (ix *SparseIndex) Search(q SparseVector, k int) []datasets.Hit {
	if k <= 0 || len(ix.ids) == 0 {
		return nil
	}
	acc := ix.scratch.Get().(*accumulator)
	defer ix.scratch.Put(acc)
	ix.accumulate(acc, q)
	acc.top.Reset(k)
	for _, d := range acc.touched {
		acc.top.Offer(candidate{doc: d, tie: d, score: float32(acc.score[d])})
		acc.score[d] = 0
		acc.seen[d] = false
	}
	acc.touched = acc.touched[:0]
	return hitsOf(acc.top, ix.ids)
}

// accumulate adds w_q(t)·w_d(t) to acc.score[d] for every posting of every
// query term, recording each document the first time it is touched.
func (ix *SparseIndex) accumulate(acc *accumulator, q SparseVector) {
	n := min(len(q.Terms), len(q.Weights))
	for i, t := range q.Terms[:n] {
		w := q.Weights[i]
		if t < 0 || int(t) >= ix.vocab || w == 0 {
			continue
		}
		lo, hi := ix.offsets[t], ix.offsets[t+1]
		docs := ix.docs[lo:hi]
		weights := ix.weights[lo:hi]
		weights = weights[:len(docs)]
		for j, d := range docs {
			if !acc.seen[d] {
				acc.seen[d] = true
				acc.touched = append(acc.touched, d)
			}
			acc.score[d] += float64(w) * float64(weights[j])
		}
	}
}
