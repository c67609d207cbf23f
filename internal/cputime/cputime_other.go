//go:build !unix

package cputime

import "time"

// Process returns 0: this system's CPU time is not measured.
func Process() time.Duration { return 0 }
