package report

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/distill-ml/distill/metrics"
)

// barColor draws the bar charts.
var barColor = color.RGBA{R: 0x4c, G: 0x72, B: 0xb0, A: 0xff}

// writeMeasurePlots draws one bar chart per measure, a bar per system with
// its value (and marker) above it, to dir/measure-<name>.png.
func (c *Comparison) writeMeasurePlots(dir string) ([]figure, error) {
	figs := make([]figure, 0, len(c.Measures))
	for _, m := range c.Measures {
		p, err := c.measurePlot(m)
		if err != nil {
			return nil, fmt.Errorf("report: plot %s: %w", m, err)
		}
		file := "measure-" + string(m) + ".png"
		if err := savePNG(p, dir, file); err != nil {
			return nil, err
		}
		figs = append(figs, figure{File: file, Caption: MeasureLabel(m) + " per system (mean over queries)."})
	}
	return figs, nil
}

// measurePlot builds the bar chart of measure m.
func (c *Comparison) measurePlot(m metrics.Measure) (*plot.Plot, error) {
	values := make(plotter.Values, len(c.Rows))
	names := make([]string, len(c.Rows))
	xys := make(plotter.XYs, len(c.Rows))
	texts := make([]string, len(c.Rows))
	top := 0.0
	for i := range c.Rows {
		r := &c.Rows[i]
		values[i] = r.Mean[m]
		names[i] = r.Name
		xys[i] = plotter.XY{X: float64(i), Y: values[i]}
		texts[i] = c.measureCell(r, m)
		top = max(top, values[i])
	}
	p := plot.New()
	p.Title.Text = MeasureLabel(m)
	p.Y.Label.Text = MeasureLabel(m)
	bars, err := plotter.NewBarChart(values, vg.Points(30))
	if err != nil {
		return nil, err
	}
	bars.Color = barColor
	labels, err := valueLabels(xys, texts)
	if err != nil {
		return nil, err
	}
	p.Add(bars, labels)
	p.NominalX(names...)
	rotateTicksIfCrowded(p, len(names))
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Y.Min = 0
	p.Y.Max = 1
	if top > 0 {
		p.Y.Max = top * 1.15
	}
	return p, nil
}
