//go:build !openblas && amd64

package nn

import (
	"reflect"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestAsmKernelsInUse checks that the pure-Go build runs its assembly row
// loops on a CPU with AVX2 and the Go loops on one without (or with
// GODEBUG=cpu.avx2=off): the ImplementationsAgree tests compare the loops
// in use with the Go loops, so with the Go loops in use they would compare
// the Go loops with themselves and pass.
func TestAsmKernelsInUse(t *testing.T) {
	if haveAVX2 != cpu.X86.HasAVX2 {
		t.Fatalf("haveAVX2 = %v, golang.org/x/sys/cpu says %v", haveAVX2, cpu.X86.HasAVX2)
	}
	kernels := []struct {
		name               string
		inUse, asm, goLoop any
	}{
		{"geluRows", geluRows, geluRowsAsm, geluRowsGo},
		{"geluGradRows", geluGradRows, geluGradRowsAsm, geluGradRowsGo},
		{"softmaxRows", softmaxRows, softmaxRowsAsm, softmaxMasked},
		{"softmaxGradRows", softmaxGradRows, softmaxGradRowsAsm, softmaxGradRowsGo},
		{"spladeMaxRows", spladeMaxRows, spladeMaxRowsAsm, spladeMaxRowsGo},
		{"layerNormRows", layerNormRows, layerNormRowsAsm, layerNormRowsGo},
		{"layerNormGradRows", layerNormGradRows, layerNormGradRowsAsm, layerNormGradRowsGo},
		{"addRows", addRows, addRowsAsm, addRowsGo},
		{"spladeScatterE", spladeScatterE, spladeScatterEAsm, spladeScatterEGo},
		{"spladeScatterH", spladeScatterH, spladeScatterHAsm, spladeScatterHGo},
		{"embedRows", embedRows, embedRowsAsm, embedRowsGo},
		{"embedGradCols", embedGradCols, embedGradColsAsm, embedGradColsGo},
	}
	for _, k := range kernels {
		want, what := k.goLoop, "the Go loop"
		if haveAVX2 {
			want, what = k.asm, "the assembly loop"
		}
		if reflect.ValueOf(k.inUse).Pointer() != reflect.ValueOf(want).Pointer() {
			t.Errorf("%s: AVX2 %v, but %s is not in use", k.name, haveAVX2, what)
		}
	}
}
