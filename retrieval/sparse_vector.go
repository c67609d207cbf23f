package retrieval

import (
	"fmt"
	"math"
	"slices"
)

// SparseVector is a SPLADE-style bag of weighted vocabulary terms: Weights[i]
// is the weight of term Terms[i]. A valid vector has terms strictly
// ascending, each in [0, vocabSize), and finite weights; zero weights are
// allowed and mean the term is absent.
type SparseVector struct {
	Terms   []int32
	Weights []float32
}

// Len returns the number of stored terms, zeros included.
func (v SparseVector) Len() int { return len(v.Terms) }

// Validate checks v against a vocabulary of vocabSize terms. docID names the
// vector in the error ("" for a query).
func (v SparseVector) Validate(docID string, vocabSize int) error {
	if len(v.Terms) != len(v.Weights) {
		return &InputError{DocID: docID, Field: "weights", Index: -1,
			Reason: fmt.Sprintf("has %d values for %d terms", len(v.Weights), len(v.Terms))}
	}
	for i, t := range v.Terms {
		if t < 0 || int(t) >= vocabSize {
			return &InputError{DocID: docID, Field: "terms", Index: i,
				Reason: fmt.Sprintf("term %d outside the vocabulary [0, %d)", t, vocabSize)}
		}
		if i > 0 && t <= v.Terms[i-1] {
			return &InputError{DocID: docID, Field: "terms", Index: i,
				Reason: fmt.Sprintf("term %d after %d (want strictly ascending)", t, v.Terms[i-1])}
		}
		if w := v.Weights[i]; math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			return &InputError{DocID: docID, Field: "weights", Index: i, Reason: "not finite"}
		}
	}
	return nil
}

// Dot returns the inner product of v and o, whose terms are ascending,
// summed in float64.
func (v SparseVector) Dot(o SparseVector) float32 {
	var s float64 // thousands of products: a float32 sum drifts by 1e-3
	for i, j := 0, 0; i < len(v.Terms) && j < len(o.Terms); {
		switch {
		case v.Terms[i] < o.Terms[j]:
			i++
		case v.Terms[i] > o.Terms[j]:
			j++
		default:
			s += float64(v.Weights[i]) * float64(o.Weights[j])
			i, j = i+1, j+1
		}
	}
	return float32(s)
}

// NonZeros returns a copy of v without its zero weights.
func (v SparseVector) NonZeros() SparseVector {
	out := SparseVector{Terms: make([]int32, 0, len(v.Terms)), Weights: make([]float32, 0, len(v.Terms))}
	for i, w := range v.Weights {
		if w != 0 {
			out.Terms = append(out.Terms, v.Terms[i])
			out.Weights = append(out.Weights, w)
		}
	}
	return out
}

// PruneTopK returns a copy of v keeping its n largest weights (ties broken by
// smaller term), terms still ascending. n ≤ 0 keeps every term.
//
// Pruning each document to its top weights is the usual way to bound the
// size and FLOPS of a SPLADE index after training.
func (v SparseVector) PruneTopK(n int) SparseVector {
	if n <= 0 || n >= len(v.Terms) {
		return SparseVector{Terms: slices.Clone(v.Terms), Weights: slices.Clone(v.Weights)}
	}
	order := make([]int, len(v.Terms))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if wa, wb := v.Weights[a], v.Weights[b]; wa != wb {
			if wa > wb {
				return -1
			}
			return 1
		}
		return int(v.Terms[a]) - int(v.Terms[b])
	})
	keep := order[:n]
	slices.Sort(keep)
	out := SparseVector{Terms: make([]int32, n), Weights: make([]float32, n)}
	for i, j := range keep {
		out.Terms[i], out.Weights[i] = v.Terms[j], v.Weights[j]
	}
	return out
}
