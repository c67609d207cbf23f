package bm25

import (
	"errors"
	"fmt"
)

// ErrDuplicateDoc is returned by Index.Add when a document id was already
// added; the index is left unchanged.
var ErrDuplicateDoc = errors.New("bm25: duplicate document id")

// ErrUnknownDoc is returned by Index.Score for a document id that was never
// added.
var ErrUnknownDoc = errors.New("bm25: unknown document id")

// ParamError reports an invalid BM25 parameter.
type ParamError struct {
	Field string  // "K1" or "B"
	Value float64 // the rejected value
	Want  string  // the accepted range
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("bm25: invalid parameter %s=%v (want %s)", e.Field, e.Value, e.Want)
}
