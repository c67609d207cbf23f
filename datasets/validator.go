package datasets

// Validator reads files like the package-level functions and also checks
// their content: blank texts, duplicate ids, and run or qrels entries naming
// queries or documents outside Queries and Docs. What happens to a record with
// a problem is set by Policy; every problem is counted in Report.
//
// A nil *Validator reads without content checks: malformed lines are errors,
// well-formed records are all delivered. The package-level ReadX and ForEachX
// functions are the nil Validator's methods.
//
// A Validator remembers the ids of the file it is reading (to find
// duplicates), so memory grows with the number of ids. It is not safe for
// concurrent use.
type Validator struct {
	Policy Policy
	// Queries and Docs, when non-nil, are the known ids that run and qrels
	// entries are checked against. LoadBEIR fills them from the folder when nil.
	Queries IDSet
	Docs    IDSet
	// Report counts the problems found by all the calls so far.
	Report Report
}

// problem handles a content problem (blank text, duplicate or unknown id)
// under the policy. It returns keep=true when the record should still be
// delivered, and a non-nil error when reading must stop.
func (v *Validator) problem(pe *ParseError) (keep bool, err error) {
	if v == nil || v.Policy == Strict {
		return false, pe
	}
	v.Report.add(pe)
	return v.Policy == Keep, nil
}

// malformed handles a line that could not be parsed: an error for a nil or
// Strict Validator; otherwise the line is counted and skipped.
func (v *Validator) malformed(pe *ParseError) error {
	if v == nil || v.Policy == Strict {
		return pe
	}
	v.Report.add(pe)
	return nil
}

// checks reports whether content checks are on.
func (v *Validator) checks() bool { return v != nil }

// seenLines remembers the first line each key was seen on, to report duplicates.
type seenLines map[string]int

// check records key at line and returns the line it was first seen on, or 0.
func (s seenLines) check(key string, line int) int {
	if first, ok := s[key]; ok {
		return first
	}
	s[key] = line
	return 0
}
