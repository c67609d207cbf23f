package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcessCounts checks that 20 ms of a busy loop show up in the
// process's CPU time where it is measured.
func TestProcessCounts(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("CPU time is not measured here")
	}
	t0, start := Process(), time.Now()
	x := 1.0
	for time.Since(start) < 20*time.Millisecond {
		x = x*1.0000001 + 1e-9
	}
	if got := Process() - t0; got <= 0 {
		t.Fatalf("CPU time grew by %v over a 20 ms busy loop, want > 0 (x = %g)", got, x)
	}
}
