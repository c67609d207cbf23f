package datasets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// qrelsLayout is the layout of a qrels file, detected from its first line.
type qrelsLayout int

const (
	layoutUnknown qrelsLayout = iota
	layoutTREC                // qid iter docid rel
	layoutBEIR                // query-id<TAB>corpus-id<TAB>score
)

// ForEachQrel calls fn for each judgement of a qrels file, in file order. The
// layout is detected from the first non-blank line:
//
//	19335 0 1720389 1              TREC qrels: 4 whitespace-separated fields
//	19335<TAB>1720389<TAB>1        BEIR qrels: 3 fields
//
// Fields are split on tabs when that gives 3 or 4 of them (so BEIR ids may
// hold spaces), otherwise on runs of white space.
//
// A first line of 3 fields whose last one is not a number is a header
// ("query-id<TAB>corpus-id<TAB>score") and is skipped. Every later line must
// have the detected layout. Relevance is an integer; "2.0" is read as 2.
func ForEachQrel(path string, fn func(Qrel) error) error {
	return (*Validator)(nil).ForEachQrel(path, fn)
}

// ReadQrels reads a whole qrels file (see ForEachQrel). When a pair is
// judged twice the later line wins.
func ReadQrels(path string) (Qrels, error) {
	return (*Validator)(nil).ReadQrels(path)
}

// ForEachQrel is the package-level ForEachQrel with the Validator's checks:
// a pair judged twice, and ids outside v.Queries and v.Docs when set.
func (v *Validator) ForEachQrel(path string, fn func(Qrel) error) error {
	return withLines(path, func(lr *lineReader) error {
		return v.forEachQrel(lr, fn)
	})
}

// ReadQrels is the package-level ReadQrels with the Validator's checks.
func (v *Validator) ReadQrels(path string) (Qrels, error) {
	qrels := Qrels{}
	err := v.ForEachQrel(path, func(q Qrel) error {
		qrels.Add(q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return qrels, nil
}

// Add records a judgement, replacing an earlier one for the same pair.
func (qrels Qrels) Add(q Qrel) {
	m := qrels[q.QueryID]
	if m == nil {
		m = map[string]int{}
		qrels[q.QueryID] = m
	}
	m[q.DocID] = q.Relevance
}

// Len is the number of judgements.
func (qrels Qrels) Len() int {
	n := 0
	for _, m := range qrels {
		n += len(m)
	}
	return n
}

func (v *Validator) forEachQrel(lr *lineReader, fn func(Qrel) error) error {
	layout := layoutUnknown
	return forEachPairLine(v, lr, func(line string) (Qrel, string, error) {
		fields := splitQrelsLine(line)
		if layout == layoutUnknown {
			layout = detectQrelsLayout(fields)
			if layout == layoutBEIR && len(fields) == 3 && !isNumber(fields[2]) {
				return Qrel{}, "", errSkipLine // header
			}
		}
		return parseQrelFields(fields, layout)
	}, fn)
}

// splitQrelsLine splits on tabs when the line has any and that gives 3 or
// 4 fields (so BEIR ids may hold spaces), otherwise on runs of white space.
func splitQrelsLine(s string) []string {
	if strings.Contains(s, "\t") {
		f := strings.Split(s, "\t")
		if len(f) == 3 || len(f) == 4 {
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			return f
		}
	}
	return strings.Fields(s)
}

func detectQrelsLayout(fields []string) qrelsLayout {
	if len(fields) == 4 {
		return layoutTREC
	}
	return layoutBEIR
}

func parseQrelFields(f []string, layout qrelsLayout) (Qrel, string, error) {
	var q Qrel
	var rel string
	switch layout {
	case layoutTREC:
		if len(f) != 4 {
			return q, "", fmt.Errorf("want 4 fields (qid iter docid rel) like the first line, got %d", len(f))
		}
		q.QueryID, q.DocID, rel = f[0], f[2], f[3]
	default:
		if len(f) != 3 {
			return q, "", fmt.Errorf("want 3 fields (query-id corpus-id score) like the first line, got %d", len(f))
		}
		q.QueryID, q.DocID, rel = f[0], f[1], f[2]
	}
	if q.QueryID == "" {
		return q, "query id", ErrMissing
	}
	if q.DocID == "" {
		return q, "document id", ErrMissing
	}
	r, err := parseRelevance(rel)
	if err != nil {
		return q, "relevance", err
	}
	q.Relevance = r
	return q, "", nil
}

// parseRelevance reads an integer grade, accepting integral decimals ("2.0").
func parseRelevance(s string) (int, error) {
	if r, err := strconv.Atoi(s); err == nil {
		return r, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != math.Trunc(x) || math.Abs(x) > 1<<31 {
		return 0, fmt.Errorf("not an integer: %q", s)
	}
	return int(x), nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
