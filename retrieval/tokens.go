package retrieval

import (
	"fmt"
	"math"
)

// TokenEmbeddings is a document as ColBERT sees it: n token vectors of Dim
// values each, stored row by row in Vectors (n×Dim). The vectors should be
// L2-normalised and exclude punctuation and padding (the student's job); the
// store scores them as given. n may be 0: such a document is stored but never
// retrieved.
type TokenEmbeddings struct {
	DocID   string
	Dim     int
	Vectors []float32
}

// Tokens returns the number of token vectors.
func (e TokenEmbeddings) Tokens() int {
	if e.Dim <= 0 {
		return 0
	}
	return len(e.Vectors) / e.Dim
}

// Validate checks that e has an id, a positive Dim that divides
// len(Vectors), and finite values.
func (e TokenEmbeddings) Validate() error {
	if e.DocID == "" {
		return &InputError{Field: "doc_id", Index: -1, Reason: "empty document id"}
	}
	return validateMatrix(e.DocID, e.Vectors, e.Dim)
}

// validateMatrix checks a row-major matrix of dim columns.
func validateMatrix(docID string, m []float32, dim int) error {
	if dim <= 0 {
		return &InputError{DocID: docID, Field: "dim", Index: -1, Reason: fmt.Sprintf("%d, want > 0", dim)}
	}
	if len(m)%dim != 0 {
		return &InputError{DocID: docID, Field: "vectors", Index: -1,
			Reason: fmt.Sprintf("%d values is not a whole number of %d-dimensional vectors", len(m), dim)}
	}
	for i, v := range m {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return &InputError{DocID: docID, Field: "vectors", Index: i, Reason: "not finite"}
		}
	}
	return nil
}
