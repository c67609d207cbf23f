package labels

import "fmt"

// Row is the teacher's scores for the candidates of one query.
type Row struct {
	QueryID     string
	DocumentIDs []string
	Scores      []float32
}

// Validate checks that the row is well formed.
func (r Row) Validate() error {
	if r.QueryID == "" {
		return fmt.Errorf("labels: row with empty query_id")
	}
	if len(r.DocumentIDs) != len(r.Scores) {
		return fmt.Errorf("labels: query %s: %d document_ids but %d scores", r.QueryID, len(r.DocumentIDs), len(r.Scores))
	}
	return nil
}
