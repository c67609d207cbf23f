// Package cputime measures the CPU time a process has used, for benchmarks
// that report work per CPU-second, which a busy machine distorts far less
// than wall time.
package cputime
