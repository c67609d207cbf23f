package nn

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// KernelTime is the wall time spent in one pass of one kind of kernel
// since timing was switched on.
type KernelTime struct {
	Kernel string        // kernel name, e.g. "Linear"; "Add" for Engine.Add
	Pass   string        // "forward", "backward"; "sum" for Engine.Add (gradient sums)
	Calls  int           // number of passes timed
	Time   time.Duration // their total wall time
}

// timing holds the kernel timings; the passes it times run one at a time
// (a tape machine runs one node after another), so a mutex is cheap.
var timing struct {
	on     atomic.Bool
	mu     sync.Mutex
	totals map[[2]string]*KernelTime
}

// SetTiming switches the per-kernel timings of graph nodes on or off and
// clears the totals. Timing costs two clock reads per pass.
func SetTiming(on bool) {
	timing.mu.Lock()
	defer timing.mu.Unlock()
	timing.totals = nil
	timing.on.Store(on)
}

// Timings returns the totals since SetTiming(true), by kernel and pass.
func Timings() []KernelTime {
	timing.mu.Lock()
	defer timing.mu.Unlock()
	out := make([]KernelTime, 0, len(timing.totals))
	for _, t := range timing.totals {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b KernelTime) int {
		if a.Kernel != b.Kernel {
			return strings.Compare(a.Kernel, b.Kernel)
		}
		return strings.Compare(a.Pass, b.Pass)
	})
	return out
}

// record adds the time since start to kernel's pass.
func record(kernel, pass string, start time.Time) {
	d := time.Since(start)
	timing.mu.Lock()
	defer timing.mu.Unlock()
	if timing.totals == nil {
		timing.totals = map[[2]string]*KernelTime{}
	}
	t := timing.totals[[2]string{kernel, pass}]
	if t == nil {
		t = &KernelTime{Kernel: kernel, Pass: pass}
		timing.totals[[2]string{kernel, pass}] = t
	}
	t.Calls++
	t.Time += d
}
