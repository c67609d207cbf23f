package training

import (
	"fmt"

	"github.com/distill-ml/distill/internal/progress"
)

// progressBar is the training bar on a terminal: steps, loss, and
// examples/s of training time (validation pauses it). Off a terminal the
// "train" log lines report progress instead, and the bar is nil.
type progressBar struct{ bar *progress.Bar }

func newProgressBar(c *progress.Console, startStep, total, batchSize int) *progressBar {
	if !c.Terminal() {
		return nil
	}
	b := c.Start("training", int64(startStep), int64(total), "steps")
	b.SetRate("ex", float64(batchSize))
	return &progressBar{bar: b}
}

// update records step and its loss.
func (p *progressBar) update(step int, loss float64) {
	if p != nil {
		p.bar.Set(int64(step), fmt.Sprintf("loss %.4g", loss))
	}
}

// pause and resume leave validation out of the rate.
func (p *progressBar) pause() {
	if p != nil {
		p.bar.Pause()
	}
}

func (p *progressBar) resume() {
	if p != nil {
		p.bar.Resume()
	}
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	if p != nil {
		p.bar.Done()
	}
}
