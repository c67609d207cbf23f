package retrieval

import (
	"fmt"
	"math"
	"slices"
)

// SparseIndexBuilder collects document vectors for a SparseIndex. It is not
// safe for concurrent use.
type SparseIndexBuilder struct {
	vocab     int
	pruneTopK int
	ids       []string
	seen      map[string]struct{}
	starts    []int64 // starts[i]: first entry of document i in terms/weights
	terms     []int32
	weights   []float32
}

// NewSparseIndexBuilder returns a builder for a vocabulary of vocabSize terms
// (30522 for BERT-base uncased). It panics if vocabSize ≤ 0.
func NewSparseIndexBuilder(vocabSize int) *SparseIndexBuilder {
	if vocabSize <= 0 || vocabSize > math.MaxInt32 {
		panic(fmt.Sprintf("retrieval: NewSparseIndexBuilder: vocabulary size %d outside [1, 2³¹)", vocabSize))
	}
	return &SparseIndexBuilder{vocab: vocabSize, seen: map[string]struct{}{}, starts: []int64{0}}
}

// SetPruneTopK makes Add keep only the n largest weights of each document
// added afterwards (see SparseVector.PruneTopK); n ≤ 0, the default, keeps
// all. The setting is recorded in the index's Stats and manifest.
func (b *SparseIndexBuilder) SetPruneTopK(n int) { b.pruneTopK = max(n, 0) }

// Add adds a document. v must be valid for the vocabulary (see
// SparseVector.Validate); zero weights are dropped. v is copied. Adding an
// id twice returns ErrDuplicateDoc.
func (b *SparseIndexBuilder) Add(docID string, v SparseVector) error {
	if docID == "" {
		return &InputError{DocID: docID, Field: "doc_id", Index: -1, Reason: "empty document id"}
	}
	if _, dup := b.seen[docID]; dup {
		return fmt.Errorf("%w %q", ErrDuplicateDoc, docID)
	}
	if len(b.ids) == math.MaxInt32 {
		return &InputError{DocID: docID, Field: "doc_id", Index: -1, Reason: "index full (2³¹-1 documents)"}
	}
	if err := v.Validate(docID, b.vocab); err != nil {
		return err
	}
	v = v.NonZeros().PruneTopK(b.pruneTopK)
	b.seen[docID] = struct{}{}
	b.ids = append(b.ids, docID)
	b.terms = append(b.terms, v.Terms...)
	b.weights = append(b.weights, v.Weights...)
	b.starts = append(b.starts, int64(len(b.terms)))
	return nil
}

// Len returns the number of documents added.
func (b *SparseIndexBuilder) Len() int { return len(b.ids) }

// Build inverts the documents added so far into a SparseIndex. Documents are
// numbered in id order, so each posting list is sorted by document id. The
// builder can be reused afterwards; the index does not share its memory.
func (b *SparseIndexBuilder) Build() *SparseIndex {
	n := len(b.ids)
	order := make([]int32, n) // order[ordinal] = insertion position
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		if b.ids[x] < b.ids[y] {
			return -1
		}
		return 1 // ids are unique
	})
	offsets := make([]int64, b.vocab+1)
	for _, t := range b.terms {
		offsets[t+1]++
	}
	for t := 1; t <= b.vocab; t++ {
		offsets[t] += offsets[t-1]
	}
	fill := slices.Clone(offsets[:b.vocab])
	docs := make([]int32, len(b.terms))
	weights := make([]float32, len(b.terms))
	ids := make([]string, n)
	for ord, pos := range order {
		ids[ord] = b.ids[pos]
		for e := b.starts[pos]; e < b.starts[pos+1]; e++ {
			t := b.terms[e]
			docs[fill[t]] = int32(ord)
			weights[fill[t]] = b.weights[e]
			fill[t]++
		}
	}
	return newSparseIndex(b.vocab, b.pruneTopK, ids, offsets, docs, weights)
}
