package datasets

import "fmt"

// Policy says what a Validator does with a problem it finds.
type Policy int

const (
	// Strict makes the first problem an error (a *ParseError naming file and line).
	Strict Policy = iota
	// Skip drops the record that has a problem (or the malformed line) and
	// counts it in the Report.
	Skip
	// Keep keeps the record as it is and counts the problem in the Report.
	// A malformed line cannot be kept: it is skipped and counted.
	Keep
)

// String returns "strict", "skip" or "keep".
func (p Policy) String() string {
	switch p {
	case Strict:
		return "strict"
	case Skip:
		return "skip"
	case Keep:
		return "keep"
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy maps "strict", "skip" and "keep" (as given to a command-line
// flag) to a Policy.
func ParsePolicy(s string) (Policy, error) {
	for _, p := range []Policy{Strict, Skip, Keep} {
		if s == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("datasets: unknown policy %q (want strict, skip or keep)", s)
}

// IDSet is a set of query or document ids.
type IDSet map[string]struct{}

// Has reports whether id is in the set. A nil set has no ids.
func (s IDSet) Has(id string) bool {
	_, ok := s[id]
	return ok
}

// QueryIDs returns the set of the queries' ids.
func QueryIDs(queries []Query) IDSet {
	s := make(IDSet, len(queries))
	for _, q := range queries {
		s[q.ID] = struct{}{}
	}
	return s
}

// DocIDs returns the set of the documents' ids.
func DocIDs(docs []Document) IDSet {
	s := make(IDSet, len(docs))
	for _, d := range docs {
		s[d.ID] = struct{}{}
	}
	return s
}
