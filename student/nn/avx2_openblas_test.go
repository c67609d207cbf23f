//go:build openblas

package nn

import (
	"reflect"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestCKernelsInUse checks that the cgo build runs its C kernels on a CPU
// with AVX2, and the Go loops on one without: the ImplementationsAgree
// tests compare the kernels in use with the Go loops, so with the Go loops
// in use they would compare the Go loops with themselves and pass.
// golang.org/x/sys/cpu detects AVX2 (and the OS's support of it) on its
// own, apart from the C check.
func TestCKernelsInUse(t *testing.T) {
	if haveAVX2 != cpu.X86.HasAVX2 {
		t.Fatalf("haveAVX2 = %v, golang.org/x/sys/cpu says %v", haveAVX2, cpu.X86.HasAVX2)
	}
	kernels := []struct {
		name             string
		inUse, c, goLoop any
	}{
		{"geluRows", geluRows, geluRowsC, geluRowsGo},
		{"geluGradRows", geluGradRows, geluGradRowsC, geluGradRowsGo},
		{"softmaxRows", softmaxRows, softmaxRowsC, softmaxMasked},
		{"softmaxGradRows", softmaxGradRows, softmaxGradRowsC, softmaxGradRowsGo},
		{"layerNormRows", layerNormRows, layerNormRowsC, layerNormRowsGo},
		{"layerNormGradRows", layerNormGradRows, layerNormGradRowsC, layerNormGradRowsGo},
		{"addRows", addRows, addRowsC, addRowsGo},
		{"embedRows", embedRows, embedRowsC, embedRowsGo},
		{"embedGradCols", embedGradCols, embedGradColsC, embedGradColsGo},
		{"spladeMaxRows", spladeMaxRows, spladeMaxRowsC, spladeMaxRowsGo},
		{"spladeScatterE", spladeScatterE, spladeScatterEC, spladeScatterEGo},
		{"spladeScatterH", spladeScatterH, spladeScatterHC, spladeScatterHGo},
	}
	for _, k := range kernels {
		want, what := k.goLoop, "the Go loop"
		if haveAVX2 {
			want, what = k.c, "the C kernel"
		}
		if reflect.ValueOf(k.inUse).Pointer() != reflect.ValueOf(want).Pointer() {
			t.Errorf("%s: AVX2 %v, but %s is not in use", k.name, haveAVX2, what)
		}
	}
}
