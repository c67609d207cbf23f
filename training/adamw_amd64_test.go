//go:build !openblas && amd64

package training

import (
	"reflect"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestOptimizerAsmKernelsInUse checks that the pure-Go build runs the
// assembly optimizer loops on a CPU with AVX2 and the Go loops on one
// without (or with GODEBUG=cpu.avx2=off), so that
// TestOptimizerKernelsAgree compares the assembly with Go, not Go with
// itself.
func TestOptimizerAsmKernelsInUse(t *testing.T) {
	inUse := func(f, asm, goLoop any) bool {
		want := goLoop
		if cpu.X86.HasAVX2 {
			want = asm
		}
		return reflect.ValueOf(f).Pointer() == reflect.ValueOf(want).Pointer()
	}
	if !inUse(adamwBlock, adamwBlockAsm, adamwBlockGo) || !inUse(sumSquares, sumSquaresAsm, sumSquaresGo) {
		t.Errorf("AVX2 %v, but the optimizer kernels in use are not the assembly ones with it and the Go ones without", cpu.X86.HasAVX2)
	}
}
