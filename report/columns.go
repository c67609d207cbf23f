package report

import (
	"path/filepath"
	"strconv"

	"github.com/distill-ml/distill/metrics"
)

// column is one column of the results table, shared by every renderer so
// that the terminal, Markdown and HTML tables show the same cells.
type column struct {
	header  string
	numeric bool // right-aligned in Markdown
	cell    func(r *Row) string
}

// columns returns the table's columns: name and kind, one per measure, then
// the optional groups (agreement, latency, index size, SPLADE cost, steps,
// labels) that at least one row has.
func (c *Comparison) columns() []column {
	cols := []column{
		{header: "System", cell: func(r *Row) string { return r.Name }},
		{header: "Kind", cell: func(r *Row) string { return formatText(r.Kind) }},
	}
	for _, m := range c.Measures {
		cols = append(cols, column{header: MeasureLabel(m), numeric: true,
			cell: func(r *Row) string { return c.measureCell(r, m) }})
	}
	if c.any(func(r *Row) bool { return r.Agreement != nil }) {
		cols = append(cols,
			column{"Kendall τ", true, func(r *Row) string { return formatFixed(agreementField(r, kendall), 4) }},
			column{"Spearman ρ", true, func(r *Row) string { return formatFixed(agreementField(r, spearman), 4) }},
			column{"Best-margin MSE", true, func(r *Row) string { return formatGeneral(agreementField(r, bestMarginMSE)) }},
		)
	}
	if c.any(func(r *Row) bool { return r.Latency != nil }) {
		cols = append(cols,
			column{"p50 ms", true, func(r *Row) string { return formatFixed(latencyField(r, false), 2) }},
			column{"p95 ms", true, func(r *Row) string { return formatFixed(latencyField(r, true), 2) }},
		)
	}
	if c.any(func(r *Row) bool { return r.IndexBytes > 0 }) {
		cols = append(cols, column{"Index", true, func(r *Row) string { return formatBytes(r.IndexBytes) }})
	}
	if c.any(func(r *Row) bool { return r.AvgNonZeros != nil || r.FLOPS != nil }) {
		cols = append(cols,
			column{"Avg nnz", true, func(r *Row) string { return formatFixed(r.AvgNonZeros, 1) }},
			column{"FLOPS", true, func(r *Row) string { return formatGeneral(r.FLOPS) }},
		)
	}
	if c.any(func(r *Row) bool { return r.Steps > 0 }) {
		cols = append(cols, column{"Steps", true, func(r *Row) string {
			if r.Steps == 0 && isStudent(r.Kind) {
				return "0" // an untrained checkpoint (best/ can be step 0)
			}
			return formatCount(r.Steps)
		}})
	}
	if c.any(func(r *Row) bool { return r.LabelsUsed != "" }) {
		// The folder's name: its path is in the provenance (HTML, JSON).
		cols = append(cols, column{"Labels", false, func(r *Row) string { return formatText(labelsName(r.LabelsUsed)) }})
	}
	return cols
}

// cells returns the header and the rows of the results table.
func (c *Comparison) cells() (header []string, rows [][]string) {
	cols := c.columns()
	header = make([]string, len(cols))
	for j, col := range cols {
		header[j] = col.header
	}
	rows = make([][]string, len(c.Rows))
	for i := range c.Rows {
		rows[i] = make([]string, len(cols))
		for j, col := range cols {
			rows[i][j] = col.cell(&c.Rows[i])
		}
	}
	return header, rows
}

// measureCell formats a mean with 4 decimals, followed by the marker when
// it differs significantly from the baseline.
func (c *Comparison) measureCell(r *Row, m metrics.Measure) string {
	v, ok := r.Mean[m]
	if !ok {
		return absent
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	if sig, ok := r.Significance[m]; ok && sig.Significant {
		s += c.Marker
	}
	return s
}

// any reports whether some row satisfies f.
func (c *Comparison) any(f func(r *Row) bool) bool {
	for i := range c.Rows {
		if f(&c.Rows[i]) {
			return true
		}
	}
	return false
}

type agreementKind int

const (
	kendall agreementKind = iota
	spearman
	bestMarginMSE
)

func agreementField(r *Row, k agreementKind) *float64 {
	if r.Agreement == nil {
		return nil
	}
	switch k {
	case kendall:
		return r.Agreement.KendallTau
	case spearman:
		return r.Agreement.SpearmanRho
	}
	return r.Agreement.BestMarginMSE
}

func latencyField(r *Row, p95 bool) *float64 {
	if r.Latency == nil {
		return nil
	}
	if p95 {
		return &r.Latency.P95MS
	}
	return &r.Latency.MedianMS
}

// labelsName is the name of a labels folder ("labels-train" of
// "/data/demo-out/labels-train/").
func labelsName(path string) string {
	if path == "" {
		return ""
	}
	return filepath.Base(filepath.Clean(path))
}

// isStudent reports a checkpoint distill trained (ColBERT, SPLADE, a
// cross-encoder), alone or followed by the teacher.
func isStudent(kind string) bool {
	switch kindFamily(kind) {
	case "ColBERT", "SPLADE", "cross-encoder":
		return true
	}
	return false
}
