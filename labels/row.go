package labels

import (
	"fmt"
	"math"
)

// Row is the teacher's scores for the candidates of one query.
type Row struct {
	QueryID     string
	DocumentIDs []string
	Scores      []float32
}

// countPairs returns the number of (query, document) pairs of rows.
func countPairs(rows []Row) int {
	n := 0
	for _, r := range rows {
		n += len(r.DocumentIDs)
	}
	return n
}

// Validate checks that the row is well formed: a query id, one score per
// document, and every score finite (a NaN or infinite teacher score would
// poison every loss and margin computed from it).
func (r Row) Validate() error {
	if r.QueryID == "" {
		return fmt.Errorf("labels: row with empty query_id")
	}
	if len(r.DocumentIDs) != len(r.Scores) {
		return fmt.Errorf("labels: query %s: %d document_ids but %d scores", r.QueryID, len(r.DocumentIDs), len(r.Scores))
	}
	for i, s := range r.Scores {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return fmt.Errorf("labels: query %s, document %s (candidate %d): score %v is not finite", r.QueryID, r.DocumentIDs[i], i, s)
		}
	}
	return nil
}
