package metrics

import (
	"errors"
	"fmt"
)

// ErrUnknownMeasure is returned by ParseMeasure and Evaluate when a measure
// name is neither a supported trec_eval name nor a known alias.
var ErrUnknownMeasure = errors.New("metrics: unknown measure")

// ErrBadCutoff is returned by ParseMeasure and Evaluate when a cut-off
// (the k of P_k, recall_k, ndcg_cut_k, recip_rank_cut_k) is not a positive
// integer.
var ErrBadCutoff = errors.New("metrics: cut-off must be a positive integer")

// ErrNoMeasures is returned by Evaluate when no measure is requested.
var ErrNoMeasures = errors.New("metrics: no measures requested")

// ErrNoQueries is returned by Evaluate when no query has both results and
// judgements (trec_eval: "No queries with both results and relevance info").
var ErrNoQueries = errors.New("metrics: no queries with both results and relevance judgements")

// ErrNaNScore is returned by Evaluate when a run entry has a NaN score, which
// has no place in a ranking.
var ErrNaNScore = errors.New("metrics: score is NaN")

// ErrInvalidOption is returned by Evaluate when an Options field is out of range.
var ErrInvalidOption = errors.New("metrics: invalid option")

// ErrMeasureNotEvaluated is returned by PairedValues when a result does not
// hold the requested measure.
var ErrMeasureNotEvaluated = errors.New("metrics: measure not evaluated")

// MeasureError reports a measure name that could not be parsed.
type MeasureError struct {
	Name string // the name as given
	Err  error  // ErrUnknownMeasure or ErrBadCutoff
}

func (e *MeasureError) Error() string { return fmt.Sprintf("%v (got=%q)", e.Err, e.Name) }

func (e *MeasureError) Unwrap() error { return e.Err }

// OptionError reports an Options field with an out-of-range value.
type OptionError struct {
	Field string // Options field name
	Value int    // the bad value
	Want  string // the accepted range
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%v %s (got=%d, want=%s)", ErrInvalidOption, e.Field, e.Value, e.Want)
}

func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// ScoreError reports a run entry whose score cannot be ranked.
type ScoreError struct {
	QueryID string
	DocID   string
	Err     error // ErrNaNScore
}

func (e *ScoreError) Error() string {
	return fmt.Sprintf("%v (query=%q, doc=%q)", e.Err, e.QueryID, e.DocID)
}

func (e *ScoreError) Unwrap() error { return e.Err }
