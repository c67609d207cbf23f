package metrics

import (
	"encoding/json"
	"fmt"
	"io"
)

// jsonResult is the document WriteJSON writes.
type jsonResult struct {
	Measures       []Measure                      `json:"measures"`
	NumQueries     int                            `json:"num_q"`
	RelevanceLevel int                            `json:"relevance_level"`
	Complete       bool                           `json:"complete_queries"`
	MaxRetrieved   int                            `json:"max_retrieved,omitempty"`
	Mean           map[Measure]float64            `json:"mean"`
	All            map[Measure]float64            `json:"all"`
	PerQuery       map[string]map[Measure]float64 `json:"per_query,omitempty"`
}

// WriteJSON writes r as one indented JSON object:
//
//	{"measures": ["map", ...], "num_q": 3, "relevance_level": 1,
//	 "complete_queries": false, "mean": {"map": 0.27, ...},
//	 "all": {"map": 0.27, "num_rel": 5, ...},
//	 "per_query": {"q1": {"map": 0.57, ...}, ...}}
//
// "mean" holds Result.Mean, "all" the trec_eval summary (Result.Summary).
// per_query is present only when perQuery is set. Values are full
// precision; map keys are sorted, so the output is deterministic.
func (r *Result) WriteJSON(w io.Writer, perQuery bool) error {
	doc := jsonResult{
		Measures:       r.Measures,
		NumQueries:     len(r.QueryIDs),
		RelevanceLevel: r.Options.RelevanceLevel,
		Complete:       r.Options.CompleteQueries,
		MaxRetrieved:   r.Options.MaxRetrieved,
		Mean:           r.Mean,
		All:            make(map[Measure]float64, len(r.Measures)),
	}
	for _, m := range r.Measures {
		doc.All[m], _ = r.Summary(m)
	}
	if perQuery {
		doc.PerQuery = r.PerQuery
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("metrics: write JSON: %w", err)
	}
	return nil
}
