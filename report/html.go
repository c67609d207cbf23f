package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/internal/fsutil"
)

// HTMLFile is the name of the report WriteHTML writes.
const HTMLFile = "report.html"

// htmlPage is the data of htmlTemplate.
type htmlPage struct {
	Systems, Queries int
	Baseline         string
	Header           []string
	Numeric          []bool
	Rows             [][]string
	SigHeader        []string
	SigRows          [][]string
	Notes            []string
	Figures          []figure
	Provenance       []provenance
	Run              *RunProvenance
}

// provenance is one line of the provenance table.
type provenance struct {
	Name, Kind, CheckpointDir, ModelSHA256, Labels, Steps, MetricsLog string
}

// WriteHTML writes dir/report.html and its PNG plots into dir, creating dir
// if needed: a bar chart per measure (measure-<name>.png), the training
// curves of the systems with a training log (training-loss.png and
// training-<val_metric>.png) and median latency against nDCG@10
// (latency-<name>.png) when latencies were given. The page is
// self-contained (inline CSS, no script) and shows the results table, the
// differences from the baseline with their p-values, the plots, the
// provenance of every system and the notes. Every file is written
// atomically; report.html last.
func (c *Comparison) WriteHTML(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: write HTML: %w", err)
	}
	figs, err := c.writeFigures(dir)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, c.htmlPage(figs)); err != nil {
		return fmt.Errorf("report: render HTML: %w", err)
	}
	return fsutil.WriteFileAtomic(filepath.Join(dir, HTMLFile), buf.Bytes(), 0o644)
}

// writeFigures writes every plot and lists them in page order.
func (c *Comparison) writeFigures(dir string) ([]figure, error) {
	var figs []figure
	for _, write := range []func(string) ([]figure, error){
		c.writeMeasurePlots, c.writeLatencyPlot, c.writeTrainingPlots,
	} {
		f, err := write(dir)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f...)
	}
	return figs, nil
}

// htmlPage gathers the template data.
func (c *Comparison) htmlPage(figs []figure) htmlPage {
	page := htmlPage{
		Systems:  len(c.Rows),
		Queries:  len(c.QueryIDs),
		Baseline: c.Baseline,
		Notes:    c.notes(),
		Figures:  figs,
		Run:      c.Run,
	}
	page.Header, page.Rows = c.cells()
	for _, col := range c.columns() {
		page.Numeric = append(page.Numeric, col.numeric)
	}
	if len(c.Rows) > 1 {
		page.SigHeader, page.SigRows = c.significanceCells()
	}
	for i := range c.Rows {
		r := &c.Rows[i]
		p := provenance{
			Name:          r.Name,
			Kind:          formatText(r.Kind),
			CheckpointDir: formatText(r.CheckpointDir),
			ModelSHA256:   formatText(r.ModelSHA256),
			Labels:        formatText(r.LabelsUsed),
			Steps:         formatCount(r.Steps),
			MetricsLog:    absent,
		}
		if r.Training != nil {
			p.MetricsLog = r.Training.Path
		}
		page.Provenance = append(page.Provenance, p)
	}
	return page
}
