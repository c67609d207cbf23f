package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// validationTitles names the validation series distill's trainer logs; any
// other "val_*" series is plotted under its own name.
var validationTitles = map[string]string{
	"val_mrr10":       "Validation MRR@10",
	"val_kendall_tau": "Validation Kendall τ vs the teacher",
}

// trainingFigure is one plot of the systems' training logs: one series,
// one line per system.
type trainingFigure struct {
	series, file, title, yLabel, caption string
	logY                                 bool
}

// trainingFigures lists the plots the logs allow: the training loss (log
// scale: the students' losses differ by orders of magnitude, and the first
// steps' would flatten the rest) and each validation metric but the
// validation loss (raw Margin-MSE, whose scale says little across systems).
func (c *Comparison) trainingFigures() []trainingFigure {
	figs := []trainingFigure{{
		series: "loss", file: "training-loss.png", title: "Training loss", yLabel: "training loss (log scale)", logY: true,
		caption: "Training loss against step, from each system's training log (the total, regularisers included; log scale).",
	}}
	var val []string
	for i := range c.Rows {
		if l := c.Rows[i].Training; l != nil {
			for _, s := range l.Series {
				if strings.HasPrefix(s.Name, "val_") && s.Name != "val_loss" && !slices.Contains(val, s.Name) {
					val = append(val, s.Name)
				}
			}
		}
	}
	slices.Sort(val)
	for _, name := range val {
		title := validationTitles[name]
		if title == "" {
			title = "Validation " + strings.ReplaceAll(strings.TrimPrefix(name, "val_"), "_", " ")
		}
		figs = append(figs, trainingFigure{
			series: name, file: "training-" + name + ".png", title: title, yLabel: strings.ToLower(title[:1]) + title[1:],
			caption: title + " on held-out queries against step, from each system's training log.",
		})
	}
	return figs
}

// writeTrainingPlots draws the training curves of every system with a log.
// A plot with no series is not written.
func (c *Comparison) writeTrainingPlots(dir string) ([]figure, error) {
	var figs []figure
	for _, tf := range c.trainingFigures() {
		p, n, err := c.trainingPlot(tf)
		if err != nil {
			return nil, fmt.Errorf("report: plot %s: %w", tf.file, err)
		}
		if n == 0 {
			continue
		}
		if err := savePNG(p, dir, tf.file); err != nil {
			return nil, err
		}
		figs = append(figs, figure{File: tf.file, Caption: tf.caption})
	}
	return figs, nil
}

// trainingPlot adds a line per system that logged tf.series and returns how
// many it added. A system keeps its colour and marker across the plots.
func (c *Comparison) trainingPlot(tf trainingFigure) (*plot.Plot, int, error) {
	p := plot.New()
	p.Title.Text = tf.title
	p.X.Label.Text = "training step"
	p.Y.Label.Text = tf.yLabel
	p.Legend.Top = true
	logY := tf.logY
	var lines []plotter.XYs
	var names []string
	var styles []int
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Training == nil {
			continue
		}
		s := r.Training.Get(tf.series)
		if s == nil || len(s.Values) == 0 {
			continue
		}
		xys := make(plotter.XYs, 0, len(s.Values))
		for j, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			xys = append(xys, plotter.XY{X: s.Steps[j], Y: v})
			if v <= 0 {
				logY = false // a log axis cannot show it
			}
		}
		if len(xys) == 0 {
			continue
		}
		lines, names, styles = append(lines, xys), append(names, r.Name), append(styles, i)
	}
	if len(lines) == 0 {
		return p, 0, nil
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for k, xys := range lines {
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, 0, fmt.Errorf("%s %s: %w", names[k], tf.series, err)
		}
		n := styles[k]
		line.Color = plotutil.Color(n)
		line.Dashes = plotutil.Dashes(n / len(plotutil.DefaultColors))
		points.Color = line.Color
		points.Shape = plotutil.Shape(n)
		points.Radius = vg.Points(2)
		p.Add(line, points)
		p.Legend.Add(names[k], line, points)
	}
	if p.X.Min > 0 {
		p.X.Min = 0 // steps start at 0: round ticks
	}
	legendHeadroom(p, len(lines), logY)
	return p, len(lines), nil
}

// legendHeadroom raises the Y axis above the data by the height the legend
// (top right, one row per entry) takes, so that it never hides a curve.
func legendHeadroom(p *plot.Plot, entries int, logY bool) {
	// The data area is about plotHeight less the title and the X axis; a
	// legend row is about 1.25 lines of 12-point text.
	area := float64(plotHeight) - 70
	need := math.Min(0.6, (float64(entries)*15+8)/area)
	lo, hi := p.Y.Min, p.Y.Max
	if logY {
		lo, hi = math.Log10(lo), math.Log10(hi)
	}
	if hi <= lo {
		hi = lo + 1
	}
	top := hi + (hi-lo)*need/(1-need)
	if logY {
		top = math.Pow(10, top)
	}
	p.Y.Max = top
}
