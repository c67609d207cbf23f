//go:build !openblas && amd64

package nn

import "golang.org/x/sys/cpu"

// haveAVX2 reports whether the CPU has AVX2 and the OS saves its registers
// (golang.org/x/sys/cpu checks both): the pure-Go build then runs the Go
// assembly versions of the elementwise row loops (the *_amd64.s files),
// the Go loops otherwise. Like the cgo build's C kernels, each assembly
// loop is the Go loop's float32 operations in the same order, eight lanes
// at a time (no FMA), so the two give the same bits; the
// ImplementationsAgree tests check, and TestAsmKernelsInUse that the
// assembly is what runs.
var haveAVX2 = cpu.X86.HasAVX2
