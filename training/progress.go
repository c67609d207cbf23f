package training

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws "[=====>    ] 120/300 steps  loss 0.1234  53.2 ex/s  ETA 12s"
// on a terminal, redrawn at most every 200 ms.
type progressBar struct {
	w         io.Writer
	total     int
	start     time.Time
	startStep int
	last      time.Time
	batchSize int
}

func newProgressBar(w io.Writer, startStep, total, batchSize int) *progressBar {
	now := time.Now()
	return &progressBar{w: w, total: total, start: now, startStep: startStep, batchSize: batchSize}
}

// update redraws the bar after step (forced on the last step).
func (p *progressBar) update(step int, loss float64) {
	if p == nil {
		return
	}
	now := time.Now()
	if step < p.total && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	done := step - p.startStep
	rate := 0.0
	if el > 0 {
		rate = float64(done*p.batchSize) / el
	}
	var eta time.Duration
	if done > 0 {
		eta = time.Duration(el / float64(done) * float64(p.total-step) * float64(time.Second))
	}
	fmt.Fprint(p.w, "\r"+Bar(step, p.total, loss, rate, eta, 30))
	if step >= p.total {
		fmt.Fprintln(p.w)
	}
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	if p != nil {
		fmt.Fprintln(p.w)
	}
}

// Bar renders a training progress line.
func Bar(step, total int, loss, examplesPerS float64, eta time.Duration, width int) string {
	frac := 0.0
	if total > 0 {
		frac = min(float64(step)/float64(total), 1)
	}
	fill := int(frac * float64(width))
	bar := strings.Repeat("=", fill)
	if fill < width {
		bar += ">" + strings.Repeat(" ", width-fill-1)
	}
	return fmt.Sprintf("[%s] %d/%d steps  loss %.4g  %.1f ex/s  ETA %s ", bar, step, total, loss, examplesPerS, eta.Round(time.Second))
}
