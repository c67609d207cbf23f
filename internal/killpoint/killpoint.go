// Package killpoint lets crash tests kill a distill process with SIGKILL at
// a named point of its work, deterministically instead of after a sleep.
//
// A test runs distill (or a test binary) with DISTILL_KILL_AT=NAME, or
// NAME#N to die the N-th time NAME is reached (N from 1). Reach(NAME) is
// free when the variable is unset, which is always the case outside tests.
package killpoint

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Env is the environment variable naming the kill point.
const Env = "DISTILL_KILL_AT"

var (
	once   sync.Once
	name   string
	nth    int
	mu     sync.Mutex
	passed int
)

func load() {
	spec := os.Getenv(Env)
	name, nth = spec, 1
	if i := strings.LastIndexByte(spec, '#'); i >= 0 {
		if n, err := strconv.Atoi(spec[i+1:]); err == nil && n >= 1 {
			name, nth = spec[:i], n
		}
	}
}

// Reach kills the process with SIGKILL if it is the kill point DISTILL_KILL_AT
// names (on its N-th arrival); otherwise it does nothing.
func Reach(point string) {
	once.Do(load)
	if name == "" || point != name {
		return
	}
	mu.Lock()
	passed++
	hit := passed == nth
	mu.Unlock()
	if hit {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		for { // SIGKILL cannot be caught: wait for it, never return into the work
			time.Sleep(time.Second)
		}
	}
}
