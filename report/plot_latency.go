package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/distill-ml/distill/metrics"
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

// writeLatencyPlot draws median latency against quality: a point per
// system with latencies, in the colour and marker the system has in the
// training plots, named in a legend beside the plot (names written next to
// the points would overlap: students cluster). Latency is on a log axis when
// it spans more than a factor of 20 (BM25's microseconds next to a
// cross-encoder's tens of milliseconds). Nothing is written when no system
// has latencies.
func (c *Comparison) writeLatencyPlot(dir string) ([]figure, error) {
	m := c.qualityMeasure()
	file := "latency-" + string(m) + ".png"
	p := plot.New()
	p.Title.Text = "Latency vs " + MeasureLabel(m)
	p.X.Label.Text = "median latency per query (ms)"
	p.Y.Label.Text = MeasureLabel(m)
	leg := plot.NewLegend()
	leg.TextStyle.Font.Size = vg.Points(10)
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for i := range c.Rows {
		r := &c.Rows[i]
		if r.Latency == nil {
			continue
		}
		x := r.Latency.MedianMS
		sc, err := plotter.NewScatter(plotter.XYs{{X: x, Y: r.Mean[m]}})
		if err != nil {
			return nil, fmt.Errorf("report: plot %s: %s: %w", file, r.Name, err)
		}
		sc.Color = plotutil.Color(i)
		sc.Shape = plotutil.Shape(i)
		sc.Radius = vg.Points(4)
		p.Add(sc)
		leg.Add(r.Name, sc)
		lo, hi = min(lo, x), max(hi, x)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	p.Add(plotter.NewGrid())
	if lo > 0 && hi/lo > 20 {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.X.Min, p.X.Max = p.X.Min/2, p.X.Max*2
	} else {
		padAxis(&p.X.Min, &p.X.Max, 0.1)
	}
	padAxis(&p.Y.Min, &p.Y.Max, 0.1)
	width, err := savePNGLegendRight(p, &leg, dir, file)
	if err != nil {
		return nil, err
	}
	return []figure{{File: file, Width: width, Caption: "Median query latency against " + MeasureLabel(m) +
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
