package datasets

import (
	"fmt"
	"strconv"
	"strings"
)

// SMARTQrels is the layout of the relevance file shipped with a SMART
// collection.
type SMARTQrels int

const (
	// QrelsTREC is "qid iter docid rel" (MED.REL, Cranfield's
	// QRelsCorrectedforTRECeval).
	QrelsTREC SMARTQrels = iota
	// QrelsTriples is "qid docid grade" (Cranfield's cranqrel).
	QrelsTriples
	// QrelsPairs is "qid docid ..." with any further columns ignored: every
	// listed pair is relevant, with grade 1 (CISI.REL: "1 28 0 0.000000").
	QrelsPairs
)

// ForEachSMARTQrel calls fn for each line of a SMART relevance file in the
// given layout, with the raw grade as Relevance. Numeric ids lose their
// leading zeros, like SMARTRecord ids. Blank lines are skipped.
func ForEachSMARTQrel(path string, layout SMARTQrels, fn func(Qrel) error) error {
	return withLines(path, func(lr *lineReader) error {
		return forEachSMARTQrel(lr, layout, fn)
	})
}

func forEachSMARTQrel(lr *lineReader, layout SMARTQrels, fn func(Qrel) error) error {
	return lr.eachLine(func(b []byte) error {
		q, field, err := parseSMARTQrel(strings.Fields(string(b)), layout)
		if err != nil {
			return parseErr(lr.file, lr.line, field, err)
		}
		return fn(q)
	})
}

func parseSMARTQrel(f []string, layout SMARTQrels) (Qrel, string, error) {
	var qid, docid, grade string
	switch layout {
	case QrelsTREC:
		if len(f) != 4 {
			return Qrel{}, "", fmt.Errorf("want 4 fields (qid iter docid rel), got %d", len(f))
		}
		qid, docid, grade = f[0], f[2], f[3]
	case QrelsTriples:
		if len(f) != 3 {
			return Qrel{}, "", fmt.Errorf("want 3 fields (qid docid grade), got %d", len(f))
		}
		qid, docid, grade = f[0], f[1], f[2]
	case QrelsPairs:
		if len(f) < 2 {
			return Qrel{}, "", fmt.Errorf("want at least 2 fields (qid docid), got %d", len(f))
		}
		qid, docid, grade = f[0], f[1], "1"
	default:
		return Qrel{}, "", fmt.Errorf("unknown SMART qrels layout %d", int(layout))
	}
	rel, err := parseRelevance(grade)
	if err != nil {
		return Qrel{}, "relevance", err
	}
	return Qrel{QueryID: trimZeros(qid), DocID: trimZeros(docid), Relevance: rel}, "", nil
}

// String names the layout.
func (l SMARTQrels) String() string {
	switch l {
	case QrelsTREC:
		return "trec"
	case QrelsTriples:
		return "triples"
	case QrelsPairs:
		return "pairs"
	}
	return "SMARTQrels(" + strconv.Itoa(int(l)) + ")"
}
