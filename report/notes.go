package report

import (
	"fmt"
	"strings"

	"github.com/distill-ml/distill/metrics"
)

// maxListedQueries bounds the query ids quoted in the notes; the JSON has
// all of them.
const maxListedQueries = 20

// notes returns the plain-text notes shown under the Markdown and HTML
// tables: what the marker means, which queries were evaluated, and how the
// optional columns were measured.
func (c *Comparison) notes() []string {
	out := []string{
		fmt.Sprintf("%s marks a mean that differs from the baseline %q with p < %g "+
			"(two-sided paired randomisation test on per-query values, %d iterations, seed %d); "+
			"the baseline row is never marked.",
			c.Marker, c.Baseline, c.Alpha, c.Iterations, c.Seed),
		fmt.Sprintf("Means over %d judged queries (relevance level %d); a system that retrieves "+
			"nothing for one of them scores 0 on it. Queries: %s.",
			len(c.QueryIDs), c.RelevanceLevel, listQueries(c.QueryIDs)),
	}
	if c.any(func(r *Row) bool { return len(r.Mean) < len(c.Measures) }) {
		out = append(out, "A measure cut off deeper than a system's list (its depth: the @ in its name) is "+
			"not reported (-): recall@100 of a 20-document list is its recall@20 under another name.")
	}
	if c.any(func(r *Row) bool { return r.Agreement != nil }) {
		out = append(out, fmt.Sprintf("Agreement with the teacher on %d held-out labelled queries: "+
			"Kendall τ-b and Spearman ρ between the system's scores and the teacher's over the same "+
			"candidates, per query, averaged over queries. Best-margin MSE compares score margins "+
			"(teacher's best candidate vs each other) on raw scores, as Margin-MSE training does: student scores "+
			"and teacher logits are on different scales, so compare it only between students of the "+
			"same teacher.", c.HeldOutQueries))
	}
	if c.any(func(r *Row) bool { return r.Latency != nil }) {
		out = append(out, "Latency per query, query encoding included: median (p50) and 95th percentile, in milliseconds.")
	}
	if c.any(func(r *Row) bool { return r.AvgNonZeros != nil || r.FLOPS != nil }) {
		out = append(out, "Avg nnz: average non-zero weights of a SPLADE vector; FLOPS: expected cost of a sparse dot product.")
	}
	return out
}

// listQueries quotes up to maxListedQueries ids.
func listQueries(qids []string) string {
	if len(qids) <= maxListedQueries {
		return strings.Join(qids, ", ")
	}
	return strings.Join(qids[:maxListedQueries], ", ") +
		fmt.Sprintf(", … (%d more; all in the JSON report)", len(qids)-maxListedQueries)
}

// significanceCells returns the table of differences from the baseline:
// per measure the difference of means and its p-value, marked when
// significant. It has one row per non-baseline system.
func (c *Comparison) significanceCells() (header []string, rows [][]string) {
	header = []string{"System"}
	for _, m := range c.Measures {
		header = append(header, "Δ "+MeasureLabel(m), "p "+MeasureLabel(m))
	}
	for i := 1; i < len(c.Rows); i++ {
		r := &c.Rows[i]
		row := []string{r.Name}
		for _, m := range c.Measures {
			row = append(row, c.deltaCell(r, m)...)
		}
		rows = append(rows, row)
	}
	return header, rows
}

// deltaCell formats the difference and p-value of r against the baseline on m.
func (c *Comparison) deltaCell(r *Row, m metrics.Measure) []string {
	sig, ok := r.Significance[m]
	if !ok {
		return []string{absent, absent}
	}
	p := formatP(sig.PValue)
	if sig.Significant {
		p += c.Marker
	}
	return []string{fmt.Sprintf("%+.4f", sig.Delta), p}
}
