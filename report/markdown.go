package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes a GitHub-flavoured Markdown report: the results
// table, the differences from the baseline with their p-values, and notes
// explaining the marker, the query set and the optional columns.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## distill compare: %d systems on %d queries\n\n", len(c.Rows), len(c.QueryIDs))
	cols := c.columns()
	header, rows := c.cells()
	align := make([]string, len(cols))
	for j, col := range cols {
		align[j] = "---"
		if col.numeric {
			align[j] = "---:"
		}
	}
	writeMarkdownTable(bw, header, align, rows)

	if len(c.Rows) > 1 {
		fmt.Fprintf(bw, "\n### Differences from %s\n\n", escapeMarkdown(c.Baseline))
		sh, srows := c.significanceCells()
		salign := make([]string, len(sh))
		for j := range salign {
			salign[j] = "---:"
		}
		salign[0] = "---"
		writeMarkdownTable(bw, sh, salign, srows)
	}

	fmt.Fprintf(bw, "\n### Notes\n\n")
	for _, n := range c.notes() {
		fmt.Fprintf(bw, "- %s\n", escapeMarkdown(n))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: write Markdown: %w", err)
	}
	return nil
}

// writeMarkdownTable writes one GitHub table.
func writeMarkdownTable(w io.Writer, header, align []string, rows [][]string) {
	writeMarkdownRow(w, header)
	fmt.Fprintf(w, "| %s |\n", strings.Join(align, " | "))
	for _, row := range rows {
		writeMarkdownRow(w, row)
	}
}

func writeMarkdownRow(w io.Writer, cells []string) {
	escaped := make([]string, len(cells))
	for i, s := range cells {
		escaped[i] = escapeMarkdown(s)
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(escaped, " | "))
}

// markdownEscaper escapes the characters that would break a table cell or
// start emphasis.
var markdownEscaper = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "\n", " ")

func escapeMarkdown(s string) string { return markdownEscaper.Replace(s) }
