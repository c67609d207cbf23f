package report

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/distill-ml/distill/metrics"
)

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
		figs = append(figs, figure{File: file, Caption: MeasureLabel(m) + " per system: mean over queries, error bars the 95% bootstrap confidence interval; colour by model family, darker followed by the teacher, lighter reranking the first stage."})
	}
	return figs, nil
}

// measurePlot builds the bar chart of measure m: a bar per system coloured
// by its kind (see kindColor), with its 95% bootstrap confidence interval
// and its value (and marker) above it. A system that does not report m (a
// cut-off deeper than its list) has no bar, and "-" for its value.
func (c *Comparison) measurePlot(m metrics.Measure) (*plot.Plot, error) {
	names := make([]string, len(c.Rows))
	xys := make(plotter.XYs, len(c.Rows))
	texts := make([]string, len(c.Rows))
	var ci errorPoints
	top := 0.0
	p := plot.New()
	p.Title.Text = MeasureLabel(m) + " per system"
	p.Y.Label.Text = MeasureLabel(m) + " (mean over queries, 95% CI)"
	p.Legend.Top = true
	legend := map[string]bool{}
	for i := range c.Rows {
		r := &c.Rows[i]
		names[i] = r.Name
		texts[i] = c.measureCell(r, m)
		v, ok := r.Mean[m]
		if !ok {
			continue
		}
		bars, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(26))
		if err != nil {
			return nil, err
		}
		bars.XMin = float64(i)
		bars.Color = kindColor(r)
		bars.LineStyle.Width = 0
		p.Add(bars)
		if fam := kindFamily(r.Kind); !legend[fam] {
			legend[fam] = true
			p.Legend.Add(fam, bars)
		}
		label := v
		if iv, ok := r.CI95[m]; ok {
			ci.XYs = append(ci.XYs, plotter.XY{X: float64(i), Y: v})
			ci.YErrors = append(ci.YErrors, struct{ Low, High float64 }{v - iv[0], iv[1] - v})
			label = max(label, iv[1])
		}
		xys[i] = plotter.XY{X: float64(i), Y: label}
		top = max(top, label)
	}
	if len(ci.XYs) > 0 {
		eb, err := plotter.NewYErrorBars(ci)
		if err != nil {
			return nil, err
		}
		eb.LineStyle.Width = vg.Points(1)
		eb.CapWidth = vg.Points(6)
		p.Add(eb)
	}
	labels, err := valueLabels(xys, texts)
	if err != nil {
		return nil, err
	}
	p.Add(labels)
	p.NominalX(names...)
	rotateTicksIfCrowded(p, len(names))
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Y.Min, p.Y.Max = 0, 1
	if top > 0 {
		p.Y.Max = top * 1.12
	}
	legendHeadroom(p, len(legend), false)
	return p, nil
}

// errorPoints are bar tops with their confidence intervals.
type errorPoints struct {
	plotter.XYs
	plotter.YErrors
}
