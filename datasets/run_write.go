package datasets

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
)

// DefaultTag is the run tag written when none is given.
const DefaultTag = "distill"

// RunWriter writes a TREC run one query at a time, so a run over many queries
// never needs to be held in memory. Call Flush when done. Not safe for
// concurrent use.
type RunWriter struct {
	w   *bufio.Writer
	tag string
	buf []byte
}

// NewRunWriter returns a RunWriter on w whose lines end with tag (DefaultTag
// when empty). A tag containing white space is an error.
func NewRunWriter(w io.Writer, tag string) (*RunWriter, error) {
	if tag == "" {
		tag = DefaultTag
	}
	if err := checkID("run tag", tag); err != nil {
		return nil, err
	}
	return &RunWriter{w: bufio.NewWriter(w), tag: tag}, nil
}

// WriteQuery writes the entries of one query as lines
//
//	qid Q0 docid rank score tag
//
// sorted by decreasing score (equal scores keep their order) and ranked from
// 1, so rank and score always agree (trec_eval orders by score). Scores are
// written in the shortest form that reads back to the same float64; a score
// that is a float32 (a model's) in the shortest that reads back to the same
// float32: 0.8413 rather than 0.8413000106811523. The
// entries' own QueryID, Rank and Tag are not used; entries is not modified.
func (rw *RunWriter) WriteQuery(queryID string, entries []RunEntry) error {
	if err := checkID("query id", queryID); err != nil {
		return err
	}
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return entries[order[a]].Score > entries[order[b]].Score })
	for rank, i := range order {
		e := entries[i]
		if err := checkID("document id", e.DocID); err != nil {
			return err
		}
		if math.IsNaN(e.Score) || math.IsInf(e.Score, 0) {
			return fmt.Errorf("datasets: query %q document %q: score %v is not finite", queryID, e.DocID, e.Score)
		}
		b := append(rw.buf[:0], queryID...)
		b = append(b, " Q0 "...)
		b = append(b, e.DocID...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(rank+1), 10)
		b = append(b, ' ')
		bits := 64
		if float64(float32(e.Score)) == e.Score {
			bits = 32
		}
		b = strconv.AppendFloat(b, e.Score, 'g', -1, bits)
		b = append(b, ' ')
		b = append(b, rw.tag...)
		b = append(b, '\n')
		rw.buf = b
		if _, err := rw.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes any buffered lines to the underlying writer.
func (rw *RunWriter) Flush() error { return rw.w.Flush() }

// WriteRun writes run to path as a TREC run file, atomically: queries in id
// order (numeric ids numerically), each as RunWriter.WriteQuery writes it.
func WriteRun(path string, run Run, tag string) error {
	return writeFile(path, func(w *bufio.Writer) error {
		rw, err := NewRunWriter(w, tag)
		if err != nil {
			return err
		}
		for _, qid := range sortedKeys(run) {
			if err := rw.WriteQuery(qid, run[qid]); err != nil {
				return err
			}
		}
		return rw.Flush()
	})
}

// RunFromEntries groups entries by query into a Run, each query's entries
// sorted by rank (equal ranks keep their order).
func RunFromEntries(entries []RunEntry) Run {
	run := Run{}
	for _, e := range entries {
		run[e.QueryID] = append(run[e.QueryID], e)
	}
	sortByRank(run)
	return run
}

// sortByRank sorts each query's entries by rank, equal ranks keeping their order.
func sortByRank(run Run) {
	for _, es := range run {
		sort.SliceStable(es, func(i, j int) bool { return es[i].Rank < es[j].Rank })
	}
}
