package nn

import (
	"testing"

	"gorgonia.org/tensor"
)

// BenchmarkBiasGELU times BiasGELU's passes on the feed-forward activations
// of the ColBERT step's documents, [8192, 1024], as benchKernel times the
// row kernels (whose gradient is [8192, 256]).
func BenchmarkBiasGELU(b *testing.B) {
	const f = 4 * benchHidden
	r := rng()
	in := []*tensor.Dense{randF32(r, 3, benchRows, f), randF32(r, 0.1, f)}
	dOut := randF32(r, 1, benchRows, f)
	g, mem := NewBiasGELU(), &arena{}
	for _, back := range []bool{false, true} {
		name := map[bool]string{false: "forward", true: "backward"}[back]
		b.Run(name, func(b *testing.B) {
			var cpu int64
			for range b.N {
				mem.newRun()
				t0 := cpuTime()
				out, err := g.forward(in, true, mem)
				if back {
					t0 = cpuTime()
					_, err = g.backward(in, out, dOut, mem)
				}
				if err != nil {
					b.Fatal(err)
				}
				cpu += int64(cpuTime() - t0)
			}
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
		})
	}
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
