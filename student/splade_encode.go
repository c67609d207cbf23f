package student

import (
	"fmt"

	"github.com/distill-ml/distill/retrieval"
)

// EncodeQueries returns the sparse weights of each query (token ids with
// [CLS] and [SEP], unpadded): its non-zero vocabulary weights, terms
// ascending, as package retrieval indexes and searches them.
func (s *SPLADE) EncodeQueries(queries [][]int32) ([]retrieval.SparseVector, error) {
	return s.encode(queries)
}

// EncodeDocs returns the sparse weights of each document.
func (s *SPLADE) EncodeDocs(docs [][]int32) ([]retrieval.SparseVector, error) { return s.encode(docs) }

// VocabSize returns the number of terms a sparse vector ranges over.
func (s *SPLADE) VocabSize() int { return s.cfg.Encoder.VocabSize }

func (s *SPLADE) encode(seqs [][]int32) ([]retrieval.SparseVector, error) {
	V := s.cfg.Encoder.VocabSize
	out := make([]retrieval.SparseVector, 0, len(seqs))
	for lo := 0; lo < len(seqs); lo += inferenceBatch {
		chunk := make([][]int32, 0, inferenceBatch)
		for _, q := range seqs[lo:min(lo+inferenceBatch, len(seqs))] {
			if P := s.cfg.Encoder.MaxPosition; len(q) > P { // keep [SEP]
				q = append(q[:P-1:P-1], q[len(q)-1])
			}
			chunk = append(chunk, q)
		}
		ids, mask, err := padded(chunk, s.cfg.PadID)
		if err != nil {
			return nil, fmt.Errorf("student: splade encode: %w", err)
		}
		p := newEagerPass(s.ps)
		w := s.weights(p, p.input("ids", intMatrix(ids)), p.input("mask", floatMatrix(mask)))
		if p.err != nil {
			return nil, fmt.Errorf("student: splade encode: %w", p.err)
		}
		data := w.t.Data().([]float32)
		for b := range chunk {
			var v retrieval.SparseVector
			for j, x := range data[b*V : (b+1)*V] {
				if x != 0 {
					v.Terms = append(v.Terms, int32(j))
					v.Weights = append(v.Weights, x)
				}
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// Score returns w_q·w_d for each document.
func (s *SPLADE) Score(query []int32, docs ...[]int32) ([]float32, error) {
	q, err := s.EncodeQueries([][]int32{query})
	if err != nil {
		return nil, err
	}
	ds, err := s.EncodeDocs(docs)
	if err != nil {
		return nil, err
	}
	scores := make([]float32, len(ds))
	for i, d := range ds {
		scores[i] = q[0].Dot(d)
	}
	return scores, nil
}
