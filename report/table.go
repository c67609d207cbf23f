package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the results as an aligned plain-text table for a
// terminal, one line per system, followed by a line explaining the marker:
//
//	System  Kind     MRR@10   nDCG@10  R@100
//	bm25    bm25     0.6250   0.6227   0.7500
//	student colbert  0.8125†  0.8020†  1.0000
//
//	† p < 0.05 vs bm25 (paired randomisation, 10000 iterations), 4 queries
func (c *Comparison) WriteTable(w io.Writer) error {
	header, rows := c.cells()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("report: write table: %w", err)
	}
	_, err := fmt.Fprintf(w, "\n%s p < %g vs %s (paired randomisation, %d iterations), %d queries\n",
		c.Marker, c.Alpha, c.Baseline, c.Iterations, len(c.QueryIDs))
	if err != nil {
		return fmt.Errorf("report: write table: %w", err)
	}
	return nil
}
