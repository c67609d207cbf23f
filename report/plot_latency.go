package report

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/distill-ml/distill/metrics"
)

// barColor and pointColor draw the bar charts and the scatter.
var (
	barColor   = color.RGBA{R: 0x4c, G: 0x72, B: 0xb0, A: 0xff}
	pointColor = color.RGBA{R: 0xdd, G: 0x55, B: 0x2b, A: 0xff}
)

// qualityMeasure is the y axis of the latency plot: nDCG@10 when compared,
// else the first measure.
func (c *Comparison) qualityMeasure() metrics.Measure {
	for _, m := range c.Measures {
		if m == metrics.NDCG10 {
			return m
		}
	}
	return c.Measures[0]
}

// writeLatencyPlot draws median latency against quality, a labelled point
// per system with latencies. Nothing is written when no system has any.
func (c *Comparison) writeLatencyPlot(dir string) ([]figure, error) {
	m := c.qualityMeasure()
	var xys plotter.XYs
	var names []string
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Latency == nil {
			continue
		}
		xys = append(xys, plotter.XY{X: r.Latency.MedianMS, Y: r.Mean[m]})
		names = append(names, r.Name)
	}
	if len(xys) == 0 {
		return nil, nil
	}
	file := "latency-" + string(m) + ".png"
	p := plot.New()
	p.Title.Text = "Latency vs " + MeasureLabel(m)
	p.X.Label.Text = "median latency per query (ms)"
	p.Y.Label.Text = MeasureLabel(m)
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, fmt.Errorf("report: plot %s: %w", file, err)
	}
	sc.Color = pointColor
	sc.Shape = draw.CircleGlyph{}
	sc.Radius = vg.Points(4)
	labels, err := valueLabels(xys, names)
	if err != nil {
		return nil, fmt.Errorf("report: plot %s: %w", file, err)
	}
	labels.Offset = vg.Point{Y: vg.Points(6)}
	p.Add(sc, labels, plotter.NewGrid())
	padAxis(&p.X.Min, &p.X.Max, 0.15)
	padAxis(&p.Y.Min, &p.Y.Max, 0.15)
	if err := savePNG(p, dir, file); err != nil {
		return nil, err
	}
	return []figure{{File: file, Caption: "Median query latency against " + MeasureLabel(m) +
		"; up and to the left is better."}}, nil
}

// padAxis widens [*lo, *hi] by frac of its width on each side (by frac of
// the value, or 1, when the range is a single point), so that point labels
// stay inside the plot.
func padAxis(lo, hi *float64, frac float64) {
	w := *hi - *lo
	if w == 0 {
		w = max(1, 2*math.Abs(*hi))
	}
	*lo -= frac * w
	*hi += frac * w
}
