package report

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
)

// trainingFigure selects series of the systems' training logs for one plot.
type trainingFigure struct {
	file, title, yLabel, caption string
	keep                         func(name string) bool
}

var trainingFigures = []trainingFigure{
	{
		file: "training-loss.png", title: "Training loss", yLabel: "loss",
		caption: "Loss against step, from each system's training log (series whose name contains \"loss\").",
		keep:    func(name string) bool { return strings.Contains(name, "loss") },
	},
	{
		file: "training-validation.png", title: "Validation", yLabel: "value",
		caption: "Validation metrics against step, from each system's training log (series named \"val_*\").",
		keep: func(name string) bool {
			return strings.HasPrefix(name, "val_") && !strings.Contains(name, "loss")
		},
	},
}

// writeTrainingPlots draws the training curves of every system with a log:
// losses in one plot, validation metrics in another. A plot with no series
// is not written.
func (c *Comparison) writeTrainingPlots(dir string) ([]figure, error) {
	var figs []figure
	for _, tf := range trainingFigures {
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

// trainingPlot adds a line per (system, selected series) and returns how
// many it added.
func (c *Comparison) trainingPlot(tf trainingFigure) (*plot.Plot, int, error) {
	p := plot.New()
	p.Title.Text = tf.title
	p.X.Label.Text = "step"
	p.Y.Label.Text = tf.yLabel
	p.Legend.Top = true
	n := 0
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Training == nil {
			continue
		}
		for _, s := range r.Training.Series {
			if !tf.keep(s.Name) || len(s.Values) == 0 {
				continue
			}
			xys := make(plotter.XYs, len(s.Values))
			for j := range s.Values {
				xys[j] = plotter.XY{X: s.Steps[j], Y: s.Values[j]}
			}
			line, points, err := plotter.NewLinePoints(xys)
			if err != nil {
				return nil, 0, fmt.Errorf("%s %s: %w", r.Name, s.Name, err)
			}
			line.Color = plotutil.Color(n)
			line.Dashes = plotutil.Dashes(n / len(plotutil.DefaultColors))
			points.Color = line.Color
			points.Shape = plotutil.Shape(n)
			p.Add(line, points)
			p.Legend.Add(r.Name+": "+s.Name, line, points)
			n++
		}
	}
	return p, n, nil
}
