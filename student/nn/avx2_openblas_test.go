//go:build openblas

package nn

import "testing"

// TestCKernelsInUse checks that the cgo build runs its C kernels on a CPU
// with AVX2, and the Go loops on one without (checkKernelsInUse).
func TestCKernelsInUse(t *testing.T) {
	checkKernelsInUse(t, "the C kernel", []kernelChoice{
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
	})
}
