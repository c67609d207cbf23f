// Package progress reports how far a long stage has come, one way for every
// stage of distill: on a terminal a bar redrawn in place on the last line,
// with log lines printed above it (never into it); elsewhere a log line
// every Interval.
//
//	validation [=========>          ] 120/300 queries  41.2 queries/s  ETA 4s
//
// A Console owns the terminal's last line: loggers write through it (see
// Console.Write), bars draw through it. A Bar's rate and ETA count only the
// time it ran, so a pause (the training bar while validating) does not slow
// it down.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
)

// Defaults of a Console.
const (
	// DefaultInterval is how often a bar logs a line when not on a terminal.
	DefaultInterval = 30 * time.Second
	// redraw is how often a bar is redrawn on a terminal.
	redraw = 200 * time.Millisecond
	// quiet is how long a stage runs before its bar first shows: shorter
	// stages print nothing.
	quiet = time.Second
	width = 24
)

// Console is a writer shared by the log and the bars: on a terminal it
// clears the bar before a log line and redraws it after. It is safe for
// concurrent use. The zero value is not usable: call NewConsole.
type Console struct {
	w        io.Writer
	terminal bool
	interval time.Duration
	log      *zap.Logger

	mu   sync.Mutex
	line string // the bar on the last line ("" when none)
}

// NewConsole returns a console writing to w; terminal says whether w is a
// terminal. Bars log through SetLogger's logger when not on a terminal.
func NewConsole(w io.Writer, terminal bool) *Console {
	return &Console{w: w, terminal: terminal, interval: DefaultInterval, log: zap.NewNop()}
}

// SetLogger sets the logger of the periodic lines (off a terminal).
func (c *Console) SetLogger(l *zap.Logger) { c.log = l }

// SetInterval sets how often a bar logs off a terminal.
func (c *Console) SetInterval(d time.Duration) { c.interval = d }

// Terminal reports whether the console draws bars.
func (c *Console) Terminal() bool { return c != nil && c.terminal }

// Write writes p (log lines) above the bar.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.line == "" {
		return c.w.Write(p)
	}
	if _, err := io.WriteString(c.w, "\r\033[K"); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	if err == nil {
		_, err = io.WriteString(c.w, c.line)
	}
	return n, err
}

// Sync implements zapcore.WriteSyncer.
func (c *Console) Sync() error { return nil }

// draw replaces the bar line (final: ends it with a newline).
func (c *Console) draw(line string, final bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.w, "\r\033[K"+line)
	c.line = line
	if final {
		fmt.Fprintln(c.w)
		c.line = ""
	}
}

// Bar is one stage's progress. Its methods are safe for concurrent use and
// do nothing on a nil Bar.
type Bar struct {
	c           *Console
	stage, unit string
	total       int64

	mu      sync.Mutex
	done    int64
	info    string
	start   time.Time     // when the current running stretch began
	ran     time.Duration // time run before it (pauses excluded)
	paused  bool
	shown   bool
	drawn   time.Time
	logged  time.Time
	ended   bool
	counted int64 // done when the bar started (resumed runs)
	// rateUnit and perUnit rescale the rate: a training bar counts steps
	// and shows examples/s.
	rateUnit string
	perUnit  float64
}

// Start begins a bar for a stage of total units ("queries", "documents",
// "steps"); done is where it starts (a resumed run). A total ≤ 0 means the
// total is not known in advance (documents streamed from a file): the bar
// then shows the count and the rate, with no fill and no ETA. A nil console
// gives a nil bar.
func (c *Console) Start(stage string, done, total int64, unit string) *Bar {
	if c == nil {
		return nil
	}
	now := time.Now()
	return &Bar{c: c, stage: stage, unit: unit, total: total, done: done, counted: done, start: now, logged: now,
		rateUnit: unit, perUnit: 1}
}

// SetRate shows the rate in unit, perCount of them per unit counted (a
// training bar counting steps of 32 examples: "ex", 32).
func (b *Bar) SetRate(unit string, perCount float64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.rateUnit, b.perUnit = unit, perCount
	b.mu.Unlock()
}

// Add records n more units done.
func (b *Bar) Add(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.done += n
	b.maybeShow()
	b.mu.Unlock()
}

// Set records done units and the info shown after the rate ("loss 0.1234").
func (b *Bar) Set(done int64, info string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.done, b.info = done, info
	b.maybeShow()
	b.mu.Unlock()
}

// Pause stops the clock (and clears the bar from the screen) until Resume:
// what runs meanwhile does not count in the rate.
func (b *Bar) Pause() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.paused {
		b.ran += time.Since(b.start)
		b.paused = true
		if b.shown && b.c.terminal {
			b.c.clear(b.line())
		}
	}
}

// Resume restarts the clock after Pause.
func (b *Bar) Resume() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.paused {
		b.start, b.paused = time.Now(), false
	}
}

// Done ends the bar: its final state stays on the terminal when it was shown.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return
	}
	b.ended = true
	if b.shown && b.c.terminal {
		b.c.draw(b.line(), true)
	}
}

// Discard ends the bar and removes it from the terminal: a stage nested in
// another (validation during training) that its caller reports itself.
func (b *Bar) Discard() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.ended && b.shown && b.c.terminal {
		b.c.clear(b.line())
	}
	b.ended = true
}

// Rate returns the rate (in SetRate's unit) per second of running time so far.
func (b *Bar) Rate() float64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate()
}

func (b *Bar) elapsed() time.Duration {
	if b.paused {
		return b.ran
	}
	return b.ran + time.Since(b.start)
}

func (b *Bar) rate() float64 {
	if s := b.elapsed().Seconds(); s > 0 {
		return float64(b.done-b.counted) * b.perUnit / s
	}
	return 0
}

func (b *Bar) eta() time.Duration {
	r := b.rate() / b.perUnit
	if r <= 0 || b.total <= 0 || b.total <= b.done {
		return 0
	}
	return time.Duration(float64(b.total-b.done) / r * float64(time.Second)).Round(time.Second)
}

// maybeShow redraws (terminal) or logs (otherwise) when it is time.
func (b *Bar) maybeShow() {
	if b.paused || b.ended {
		return
	}
	now := time.Now()
	finished := b.total > 0 && b.done >= b.total
	if b.elapsed() < quiet && !finished {
		return
	}
	if b.c.terminal {
		if now.Sub(b.drawn) >= redraw || finished {
			b.shown, b.drawn = true, now
			b.c.draw(b.line(), false)
		}
		return
	}
	if now.Sub(b.logged) >= b.c.interval {
		b.logged = now
		fields := []zap.Field{zap.String("stage", b.stage), zap.Int64("done", b.done)}
		if b.total > 0 {
			fields = append(fields, zap.Int64("of", b.total))
		}
		fields = append(fields, zap.String("unit", b.unit), zap.Float64(b.rateUnit+"_per_s", b.rate()), zap.Duration("eta", b.eta()))
		if b.info != "" {
			fields = append(fields, zap.String("info", b.info))
		}
		b.c.log.Info("progress", fields...)
	}
}

// line renders the bar.
func (b *Bar) line() string {
	return Line(b.stage, b.done, b.total, b.unit, b.rate(), b.rateUnit, b.eta(), b.info)
}

// clear removes the bar from the last line if it is line.
func (c *Console) clear(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.line == line {
		fmt.Fprint(c.w, "\r\033[K")
		c.line = ""
	}
}

// Line renders "stage [=====>    ] done/total unit  rate rateUnit/s  info  ETA 12s",
// or "stage done unit  rate rateUnit/s  info" when the total is unknown (≤ 0).
func Line(stage string, done, total int64, unit string, rate float64, rateUnit string, eta time.Duration, info string) string {
	var s string
	if total <= 0 {
		s = fmt.Sprintf("%s %d %s", stage, done, unit)
	} else {
		fill := int(min(float64(done)/float64(total), 1) * width)
		bar := strings.Repeat("=", fill)
		if fill < width {
			bar += ">" + strings.Repeat(" ", width-fill-1)
		}
		s = fmt.Sprintf("%s [%s] %d/%d %s", stage, bar, done, total, unit)
	}
	s += fmt.Sprintf("  %s %s/s", formatRate(rate), rateUnit)
	if info != "" {
		s += "  " + info
	}
	if total > 0 && done < total {
		s += "  ETA " + eta.String()
	}
	return s
}

// formatRate prints a rate with 3 significant digits (0.712, 41.2, 1234).
func formatRate(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	case r >= 1:
		return fmt.Sprintf("%.2f", r)
	}
	return fmt.Sprintf("%.3f", r)
}
