//go:build openblas

package training

import (
	"reflect"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestOptimizerCKernelsInUse checks that the cgo build runs the C
// optimizer kernels on a CPU with AVX2 (golang.org/x/sys/cpu detects it
// apart from the C check), and the Go loops on one without, so that
// TestOptimizerKernelsAgree compares C with Go, not Go with itself.
func TestOptimizerCKernelsInUse(t *testing.T) {
	inUse := func(f, c, goLoop any) bool {
		want := goLoop
		if cpu.X86.HasAVX2 {
			want = c
		}
		return reflect.ValueOf(f).Pointer() == reflect.ValueOf(want).Pointer()
	}
	if !inUse(adamwBlock, adamwBlockC, adamwBlockGo) || !inUse(sumSquares, sumSquaresC, sumSquaresGo) {
		t.Errorf("AVX2 %v, but the optimizer kernels in use are not the C ones with it and the Go ones without", cpu.X86.HasAVX2)
	}
}
