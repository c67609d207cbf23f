package datasets

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// ForEachRunEntry calls fn for each line of a TREC run file
//
//	qid Q0 docid rank score tag
//
// (six whitespace-separated fields; the second is ignored), in file order,
// without holding the file in memory. Blank lines are skipped.
func ForEachRunEntry(path string, fn func(RunEntry) error) error {
	return (*Validator)(nil).ForEachRunEntry(path, fn)
}

// ReadRun reads a whole TREC run. Each query's entries are sorted by rank,
// entries of equal rank keeping their file order.
func ReadRun(path string) (Run, error) {
	return (*Validator)(nil).ReadRun(path)
}

// ForEachRunEntry is the package-level ForEachRunEntry with the Validator's
// checks: a query–document pair seen twice, and ids outside v.Queries and
// v.Docs when those are set.
func (v *Validator) ForEachRunEntry(path string, fn func(RunEntry) error) error {
	return withLines(path, func(lr *lineReader) error {
		return v.forEachRunEntry(lr, fn)
	})
}

// ReadRun is the package-level ReadRun with the Validator's checks.
func (v *Validator) ReadRun(path string) (Run, error) {
	run := Run{}
	err := v.ForEachRunEntry(path, func(e RunEntry) error {
		run[e.QueryID] = append(run[e.QueryID], e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortByRank(run)
	return run, nil
}

func (v *Validator) forEachRunEntry(lr *lineReader, fn func(RunEntry) error) error {
	return forEachPairLine(v, lr, parseRunLine, fn)
}

// pairLine is an entry of a run or qrels file: a query–document pair.
type pairLine interface {
	pair() (queryID, docID string)
}

func (e RunEntry) pair() (string, string) { return e.QueryID, e.DocID }
func (q Qrel) pair() (string, string)     { return q.QueryID, q.DocID }

// errSkipLine is what a pairLine parser returns for a line to pass over (a
// header).
var errSkipLine = errors.New("datasets: skip line")

// forEachPairLine delivers the entries of a run or qrels file: each line
// that is not blank is parsed by parse (a malformed one is handled by
// v.malformed), checked by checkPair and passed to fn.
func forEachPairLine[T pairLine](v *Validator, lr *lineReader, parse func(string) (T, string, error), fn func(T) error) error {
	seen := seenLines{}
	return lr.eachLine(func(b []byte) error {
		e, field, err := parse(string(b))
		if err == errSkipLine {
			return nil
		}
		if err != nil {
			return v.malformed(parseErr(lr.file, lr.line, field, err))
		}
		qid, docid := e.pair()
		keep, err := v.checkPair(lr.file, lr.line, qid, docid, seen)
		if err != nil || !keep {
			return err
		}
		return fn(e)
	})
}

// parseRunLine parses "qid Q0 docid rank score tag".
func parseRunLine(s string) (RunEntry, string, error) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return RunEntry{}, "", fmt.Errorf("want 6 fields (qid Q0 docid rank score tag), got %d", len(f))
	}
	rank, err := strconv.Atoi(f[3])
	if err != nil {
		return RunEntry{}, "rank", fmt.Errorf("not an integer: %q", f[3])
	}
	score, err := strconv.ParseFloat(f[4], 64)
	if err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
		return RunEntry{}, "score", fmt.Errorf("not a finite number: %q", f[4])
	}
	return RunEntry{QueryID: f[0], DocID: f[2], Rank: rank, Score: score, Tag: f[5]}, "", nil
}

// checkPair applies the checks shared by run and qrels entries: a pair seen
// before, and ids outside the known sets. It returns whether to keep the entry.
func (v *Validator) checkPair(file string, line int, qid, docid string, seen seenLines) (bool, error) {
	if !v.checks() {
		return true, nil
	}
	var problems []*ParseError
	if v.Queries != nil && !v.Queries.Has(qid) {
		problems = append(problems, parseErr(file, line, "query id", fmt.Errorf("%w %q", ErrUnknownQuery, qid)))
	}
	if v.Docs != nil && !v.Docs.Has(docid) {
		problems = append(problems, parseErr(file, line, "document id", fmt.Errorf("%w %q", ErrUnknownDoc, docid)))
	}
	if first := seen.check(qid+"\x00"+docid, line); first != 0 {
		problems = append(problems, parseErr(file, line, "document id",
			fmt.Errorf("%w: query %q already has document %q (line %d)", ErrDuplicateID, qid, docid, first)))
	}
	keep := true
	for _, pe := range problems {
		k, err := v.problem(pe)
		if err != nil {
			return false, err
		}
		keep = keep && k
	}
	return keep, nil
}

// TopK returns a run holding the first k entries of each query of run (all of
// them when a query has fewer). The entries are copied. k < 1 gives a run
// with no queries.
func TopK(run Run, k int) Run {
	if k < 1 {
		return Run{}
	}
	out := make(Run, len(run))
	for qid, es := range run {
		out[qid] = append([]RunEntry(nil), es[:min(k, len(es))]...)
	}
	return out
}

// SortByScore orders the entries of one query by score, highest first (ties
// by document id), and ranks them from 1: how a reranker's scores become a
// run.
func SortByScore(entries []RunEntry) {
	sort.SliceStable(entries, func(a, b int) bool {
		if entries[a].Score != entries[b].Score {
			return entries[a].Score > entries[b].Score
		}
		return entries[a].DocID < entries[b].DocID
	})
	for i := range entries {
		entries[i].Rank = i + 1
	}
}
