package teacher

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Progress reports scored pairs: a redrawn bar with pairs/s and ETA on a
// terminal, or a line every Interval otherwise (for logs).
type Progress struct {
	Total    int64
	W        io.Writer
	Terminal bool
	Interval time.Duration
	// Log, when set and not on a terminal, receives the periodic line.
	Log func(done, total int64, rate float64, eta time.Duration)

	done  atomic.Int64
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

// Add records n more scored pairs.
func (p *Progress) Add(n int) { p.done.Add(int64(n)) }

// Start begins reporting.
func (p *Progress) Start() {
	p.start = time.Now()
	p.stop = make(chan struct{})
	every := p.Interval
	if every == 0 {
		every = 30 * time.Second
		if p.Terminal {
			every = 250 * time.Millisecond
		}
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.report(false)
			case <-p.stop:
				p.report(true)
				return
			}
		}
	}()
}

// Stop ends reporting, drawing the bar one last time.
func (p *Progress) Stop() {
	if p.stop == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.stop = nil
}

func (p *Progress) report(final bool) {
	done := p.done.Load()
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(done) / el
	}
	var eta time.Duration
	if rate > 0 && p.Total > done {
		eta = time.Duration(float64(p.Total-done) / rate * float64(time.Second))
	}
	if !p.Terminal {
		if p.Log != nil && !final {
			p.Log(done, p.Total, rate, eta)
		}
		return
	}
	fmt.Fprint(p.W, "\r"+Bar(done, p.Total, rate, eta, 30))
	if final {
		fmt.Fprintln(p.W)
	}
}

// Bar renders "[=====>    ]  1200/5000 pairs  61.3 pairs/s  ETA 1m02s".
func Bar(done, total int64, rate float64, eta time.Duration, width int) string {
	frac := 0.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	fill := int(frac * float64(width))
	bar := strings.Repeat("=", fill)
	if fill < width {
		bar += ">" + strings.Repeat(" ", width-fill-1)
	}
	return fmt.Sprintf("[%s] %d/%d pairs  %.1f pairs/s  ETA %s ", bar, done, total, rate, eta.Round(time.Second))
}
