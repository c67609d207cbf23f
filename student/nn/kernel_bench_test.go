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

// BenchmarkSpladeMax: SPLADE's vocabulary head and max pooling on the
// SPLADE step's documents, 64 sequences of 128 tokens (a tenth of them
// padding), hidden 256, BERT's vocabulary of 30,522 rows.
func BenchmarkSpladeMax(b *testing.B) {
	const S, vocab = 128, 30522
	r := rng()
	mask := make([]float32, benchRows)
	for i := range mask {
		if i%S < S-S/10 {
			mask[i] = 1
		}
	}
	benchKernelGrad(b, NewSpladeMax(0), []*tensor.Dense{randF32(r, 1, benchRows, benchHidden),
		randF32(r, 0.1, vocab, benchHidden), randF32(r, 0.5, vocab), constF32(mask, benchRows/S, S)},
		randF32(r, 1, benchRows/S, vocab))
}

// BenchmarkSpladeMaxRows measures SpladeMax's row reduction in use
// (vectorised in the cgo build and, with AVX2, the pure-Go one) and the Go
// loop on a tile of logits as the forward pass reduces it: 1,024
// vocabulary rows of two 128-token sequences, without padding (nil mask)
// and with a tenth of the tokens masked, one CPU.
func BenchmarkSpladeMaxRows(b *testing.B) {
	const n, T, ldz = 1024, 128, 2 * 128
	r := rng()
	z, c := f32(randF32(r, 1, n*ldz)), f32(randF32(r, 0.5, n))
	w, arg := make([]float32, n), make([]int32, n)
	padded := make([]float32, T)
	for t := range T - T/10 {
		padded[t] = 1
	}
	for _, impl := range []struct {
		name string
		rows func(z []float32, ldz, T int, mask, c, w []float32, arg []int32)
	}{{"in-use", spladeMaxRows}, {"go", spladeMaxRowsGo}} {
		for _, m := range []struct {
			name string
			mask []float32
		}{{"nomask", nil}, {"padded", padded}} {
			b.Run(impl.name+"/"+m.name, func(b *testing.B) {
				for range b.N {
					impl.rows(z, ldz, T, m.mask, c, w, arg)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*T), "ns/value")
			})
		}
	}
}
