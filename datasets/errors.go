package datasets

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped in a ParseError's Err. Test for them with errors.Is.
var (
	// ErrMissing reports a required field that is absent or null.
	ErrMissing = errors.New("missing")
	// ErrEmptyText reports a query or document whose text is empty or blank.
	ErrEmptyText = errors.New("empty text")
	// ErrDuplicateID reports an id (or a query–document pair) seen before in the file.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrUnknownQuery reports a run or qrels entry naming a query that is not in the query set.
	ErrUnknownQuery = errors.New("unknown query id")
	// ErrUnknownDoc reports a run or qrels entry naming a document that is not in the corpus.
	ErrUnknownDoc = errors.New("unknown document id")
	// ErrUnknownFormat reports a file whose extension names no format this package reads.
	ErrUnknownFormat = errors.New("unknown file format")
)

// Errors of the writers, for ids a format cannot hold.
var (
	// errBadID reports an id that cannot be written to a whitespace-separated file.
	errBadID = errors.New("id is empty or contains white space")
	// errBadTSVID reports an id that cannot be written to a tab-separated file.
	errBadTSVID = errors.New("id is empty, has surrounding white space, or contains a tab or line break")
)

// ParseError is a problem at one line of one file: a malformed line, or a
// record that failed validation. Line is 1-based. Field names the offending
// field ("_id", "rank", ".I", ...) and is empty when the whole line is at fault.
type ParseError struct {
	File  string
	Line  int
	Field string
	Err   error
}

// Error formats the error as
//
//	datasets: corpus.jsonl line 17: field "_id": missing
func (e *ParseError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("datasets: %s line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("datasets: %s line %d: field %q: %v", e.File, e.Line, e.Field, e.Err)
}

// Unwrap returns the underlying error, so errors.Is(err, ErrDuplicateID) works.
func (e *ParseError) Unwrap() error { return e.Err }

// parseErr builds a *ParseError.
func parseErr(file string, line int, field string, err error) *ParseError {
	return &ParseError{File: file, Line: line, Field: field, Err: err}
}
