package nn

import (
	"testing"

	"gorgonia.org/tensor"
)

// BenchmarkBiasGELU times BiasGELU's passes on the feed-forward activations
// of the ColBERT step's documents, [8192, 1024], as benchKernel times the
// row kernels (whose output gradient is [8192, 256]).
func BenchmarkBiasGELU(b *testing.B) {
	const f = 4 * benchHidden
	r := rng()
	in := []*tensor.Dense{randF32(r, 3, benchRows, f), randF32(r, 0.1, f)}
	dOut := randF32(r, 1, benchRows, f)
	benchKernelGrad(b, NewBiasGELU(), in, dOut)
}

// BenchmarkAttention: Q, K, V [64·128, 256], 4 heads of 64, no padding.
func BenchmarkAttention(b *testing.B) {
	const S = 128
	r := rng()
	mask := make([]float32, benchRows)
	for i := range mask {
		mask[i] = 1
	}
	benchKernel(b, NewAttention(4), []*tensor.Dense{randF32(r, 1, benchRows, benchHidden),
		randF32(r, 1, benchRows, benchHidden), randF32(r, 1, benchRows, benchHidden), constF32(mask, benchRows/S, S)})
}
