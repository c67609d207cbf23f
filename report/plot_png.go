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
	"gonum.org/v1/plot/vg/vgimg"

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
	Width   int // pixels; 0 for the usual plotWidth
}

// PixelWidth and PixelHeight size the figure's <img>.
func (f figure) PixelWidth() int {
	if f.Width > 0 {
		return f.Width
	}
	return pixels(plotWidth)
}

func (f figure) PixelHeight() int { return pixels(plotHeight) }

// pixels converts a length to pixels at vgimg's default 96 dpi.
func pixels(l vg.Length) int { return int(math.Round(l.Dots(vgimg.DefaultDPI))) }

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

// savePNGLegendRight renders p at the usual size with leg in a strip to its
// right, outside the data area: the image is as much wider as the legend
// needs, and its width in pixels is returned. p's own legend is not drawn
// there (leave it empty).
func savePNGLegendRight(p *plot.Plot, leg *plot.Legend, dir, file string) (int, error) {
	pad := vg.Points(8)
	r := leg.Rectangle(draw.Canvas{}) // its width depends on the texts only
	strip := r.Max.X - r.Min.X + 2*pad
	img := vgimg.New(plotWidth+strip, plotHeight)
	dc := draw.New(img)
	p.Draw(draw.Crop(dc, 0, -strip, 0, 0))
	leg.Top, leg.Left = true, true
	leg.XOffs = pad
	leg.YOffs = -p.Title.TextStyle.Height(p.Title.Text) - pad
	leg.Draw(draw.Crop(dc, plotWidth, 0, 0, 0))
	err := fsutil.WriteAtomic(filepath.Join(dir, file), 0o644, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
	return pixels(plotWidth + strip), err
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
