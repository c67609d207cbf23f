package student

import (
	"fmt"
)

// SparseVector holds the non-zero weights of a SPLADE representation,
// Index ascending.
type SparseVector struct {
	Index []int
	Value []float32
}

// Dot returns the inner product of two sparse vectors.
func (v SparseVector) Dot(o SparseVector) float32 {
	var s float64 // thousands of products: a float32 sum drifts by 1e-3
	for i, j := 0, 0; i < len(v.Index) && j < len(o.Index); {
		switch {
		case v.Index[i] < o.Index[j]:
			i++
		case v.Index[i] > o.Index[j]:
			j++
		default:
			s += float64(v.Value[i]) * float64(o.Value[j])
			i, j = i+1, j+1
		}
	}
	return float32(s)
}

// EncodeQueries returns the sparse weights of each query (token ids with
// [CLS] and [SEP], unpadded).
func (s *SPLADE) EncodeQueries(queries [][]int) ([]SparseVector, error) { return s.encode(queries) }

// EncodeDocs returns the sparse weights of each document.
func (s *SPLADE) EncodeDocs(docs [][]int) ([]SparseVector, error) { return s.encode(docs) }

func (s *SPLADE) encode(seqs [][]int) ([]SparseVector, error) {
	V := s.cfg.Encoder.VocabSize
	out := make([]SparseVector, 0, len(seqs))
	for lo := 0; lo < len(seqs); lo += inferenceBatch {
		chunk := make([][]int, 0, inferenceBatch)
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
			var v SparseVector
			for j, x := range data[b*V : (b+1)*V] {
				if x != 0 {
					v.Index = append(v.Index, j)
					v.Value = append(v.Value, x)
				}
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// Score returns w_q·w_d for each document.
func (s *SPLADE) Score(query []int, docs ...[]int) ([]float32, error) {
	q, err := s.EncodeQueries([][]int{query})
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
