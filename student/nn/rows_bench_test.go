package nn

import (
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/internal/cputime"
)

// The row-kernel benchmarks run one kernel's forward and backward passes
// at the ColBERT step's document shape (64 documents × 128 tokens, hidden
// 256) on buffers recycled from an arena, as a training step runs them.
// Run them at one CPU (-test.cpu 1) to compare implementations.
const benchRows, benchHidden = 8192, 256

// benchKernel times forward (train) and backward passes of k on in. Besides
// wall time it reports the process's CPU time per pass (cpu-ns/op), which
// other processes on a shared machine disturb less.
func benchKernel(b *testing.B, k arenaKernel, in []*tensor.Dense) {
	mem := &arena{}
	r := rng()
	dOut := randF32(r, 1, benchRows, benchHidden)
	b.Run("forward", func(b *testing.B) {
		b.ReportAllocs()
		var cpu time.Duration
		for range b.N {
			mem.newRun()
			t0 := cpuTime()
			if _, err := k.forward(in, true, mem); err != nil {
				b.Fatal(err)
			}
			cpu += cpuTime() - t0
		}
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
	b.Run("backward", func(b *testing.B) {
		b.ReportAllocs()
		b.StopTimer()
		var cpu time.Duration
		for range b.N {
			mem.newRun()
			out, err := k.forward(in, true, mem)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			t0 := cpuTime()
			if _, err := k.backward(in, out, dOut, mem); err != nil {
				b.Fatal(err)
			}
			cpu += cpuTime() - t0
			b.StopTimer()
		}
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration { return cputime.Process() }

// BenchmarkAddLayerNorm: x + r normalised, [8192, 256].
func BenchmarkAddLayerNorm(b *testing.B) {
	r := rng()
	benchKernel(b, NewAddLayerNorm(1e-12), []*tensor.Dense{randF32(r, 1, benchRows, benchHidden),
		randF32(r, 1, benchRows, benchHidden), randF32(r, 1, benchHidden), randF32(r, 1, benchHidden)})
}

// BenchmarkLinearBias: a [8192, 256]·[256, 256]ᵀ Linear with and without
// bias, and the bias gradient's row sums alone.
func BenchmarkLinearBias(b *testing.B) {
	r := rng()
	x, w := randF32(r, 1, benchRows, benchHidden), randF32(r, 1, benchHidden, benchHidden)
	b.Run("bias", func(b *testing.B) { benchKernel(b, NewLinear(true), []*tensor.Dense{x, w, randF32(r, 1, benchHidden)}) })
	b.Run("nobias", func(b *testing.B) { benchKernel(b, NewLinear(false), []*tensor.Dense{x, w}) })
	b.Run("rowsums", func(b *testing.B) {
		mem, db, dy := &arena{}, make([]float32, benchHidden), f32(x)
		b.ReportAllocs()
		var cpu time.Duration
		for range b.N {
			mem.newRun()
			t0 := cpuTime()
			sumRowsInto(db, dy, mem)
			cpu += cpuTime() - t0
		}
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// BenchmarkEmbeddings: the embedding sum of 64 sequences of 128 tokens.
func BenchmarkEmbeddings(b *testing.B) {
	const vocab, seq = 30522, 128
	r := rng()
	ids := make([]int, benchRows)
	for i := range ids {
		ids[i] = r.IntN(vocab)
	}
	benchKernel(b, NewEmbeddings(), []*tensor.Dense{tensor.New(tensor.WithShape(benchRows/seq, seq), tensor.WithBacking(ids)),
		randF32(r, 1, vocab, benchHidden), randF32(r, 1, 512, benchHidden), randF32(r, 1, 2, benchHidden)})
}
