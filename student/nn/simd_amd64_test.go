//go:build !openblas && amd64

package nn

import "testing"

// TestAsmKernelsInUse checks that the pure-Go build runs its assembly row
// loops on a CPU with AVX2, and the Go loops on one without (or with
// GODEBUG=cpu.avx2=off; checkKernelsInUse).
func TestAsmKernelsInUse(t *testing.T) {
	checkKernelsInUse(t, "the assembly loop", []kernelChoice{
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
	})
}
