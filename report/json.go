package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the whole comparison as one indented JSON object: the
// settings, the query ids and, per system, the means, per-query values,
// significance tests (with p-values), agreement (with per-query values),
// latency summary, provenance and training series. Absent values are
// omitted, never NaN. ReadJSON reads it back.
func (c *Comparison) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("report: write JSON: %w", err)
	}
	return nil
}

// ReadJSON reads a comparison written by WriteJSON.
func ReadJSON(r io.Reader) (*Comparison, error) {
	var c Comparison
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("report: read JSON: %w", err)
	}
	return &c, nil
}
