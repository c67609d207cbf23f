package datasets

import (
	"errors"
	"fmt"
	"strings"
)

// MaxExamples is how many problems of each kind a Report keeps as examples.
const MaxExamples = 3

// Report counts the problems a Validator found, by kind, and keeps the first
// MaxExamples of each kind as examples (each a *ParseError naming file and line).
type Report struct {
	Malformed    int // lines that could not be parsed
	EmptyText    int // queries or documents with blank text
	DuplicateID  int // ids, or query–document pairs in runs and qrels, seen twice
	UnknownQuery int // run or qrels entries naming a query not in the query set
	UnknownDoc   int // run or qrels entries naming a document not in the corpus
	Examples     []error
}

// Total is the number of problems of all kinds.
func (r *Report) Total() int {
	return r.Malformed + r.EmptyText + r.DuplicateID + r.UnknownQuery + r.UnknownDoc
}

// add counts err under its kind and keeps it as an example while there are few.
func (r *Report) add(err error) {
	n := r.counter(err)
	*n++
	if *n <= MaxExamples {
		r.Examples = append(r.Examples, err)
	}
}

func (r *Report) counter(err error) *int {
	switch {
	case errors.Is(err, ErrEmptyText):
		return &r.EmptyText
	case errors.Is(err, ErrDuplicateID):
		return &r.DuplicateID
	case errors.Is(err, ErrUnknownQuery):
		return &r.UnknownQuery
	case errors.Is(err, ErrUnknownDoc):
		return &r.UnknownDoc
	}
	return &r.Malformed
}

// String summarises the report on one line per kind plus the examples, or
// "no problems".
func (r *Report) String() string {
	if r.Total() == 0 {
		return "no problems"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems:", r.Total())
	for _, k := range []struct {
		name string
		n    int
	}{
		{"malformed lines", r.Malformed}, {"empty texts", r.EmptyText},
		{"duplicate ids", r.DuplicateID}, {"unknown query ids", r.UnknownQuery},
		{"unknown document ids", r.UnknownDoc},
	} {
		if k.n > 0 {
			fmt.Fprintf(&b, " %d %s;", k.n, k.name)
		}
	}
	for _, e := range r.Examples {
		fmt.Fprintf(&b, "\n  %v", e)
	}
	return b.String()
}
