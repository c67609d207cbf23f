package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/distill-ml/distill/internal/fsutil"
)

// Plot sizes: 6 × 4 inches, 576 × 384 pixels at vgimg's 96 dpi.
const (
	plotWidth  = 6 * vg.Inch
	plotHeight = 4 * vg.Inch
)

// figure is a PNG written next to report.html.
type figure struct {
	File    string // base name inside the report folder
	Caption string
}

// savePNG renders p as a PNG and writes it atomically to dir/file.
func savePNG(p *plot.Plot, dir, file string) error {
	wt, err := p.WriterTo(plotWidth, plotHeight, "png")
	if err != nil {
		return fmt.Errorf("report: render %s: %w", file, err)
	}
	return fsutil.WriteAtomic(filepath.Join(dir, file), 0o644, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}

// rotateTicksIfCrowded tilts nominal X labels when there are many of them.
func rotateTicksIfCrowded(p *plot.Plot, n int) {
	if n <= 3 {
		return
	}
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
}

// valueLabels places text at the given points, just above them.
func valueLabels(xys plotter.XYs, texts []string) (*plotter.Labels, error) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = draw.XCenter
	}
	l.Offset = vg.Point{Y: vg.Points(3)}
	return l, nil
}
