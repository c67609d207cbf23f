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

// benchKernel times forward (train) and backward passes of k on in, with
// a gradient of the output of [benchRows, benchHidden].
func benchKernel(b *testing.B, k arenaKernel, in []*tensor.Dense) {
	benchKernelGrad(b, k, in, randF32(rng(), 1, benchRows, benchHidden))
}

// benchKernelGrad times forward (train) and backward passes of k on in,
// the backward ones with the output gradient dOut (see benchCPU).
func benchKernelGrad(b *testing.B, k arenaKernel, in []*tensor.Dense, dOut *tensor.Dense) {
	mem := &arena{}
	b.Run("forward", func(b *testing.B) {
		b.ReportAllocs()
		benchCPU(b, nil, func() {
			mem.newRun()
			if _, err := k.forward(in, true, mem); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("backward", func(b *testing.B) {
		b.ReportAllocs()
		var out *tensor.Dense
		benchCPU(b, func() {
			mem.newRun()
			var err error
			if out, err = k.forward(in, true, mem); err != nil {
				b.Fatal(err)
			}
		}, func() {
			if _, err := k.backward(in, out, dOut, mem); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// benchCPU runs fn b.N times, each after setup (if any) with the timer
// stopped. Besides wall time it reports the process's CPU time per call of
// fn (cpu-ns/op), which other processes on a shared machine disturb less.
func benchCPU(b *testing.B, setup, fn func()) {
	var cpu time.Duration
	for range b.N {
		if setup != nil {
			b.StopTimer()
			setup()
			b.StartTimer()
		}
		t0 := cputime.Process()
		fn()
		cpu += cputime.Process() - t0
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// BenchmarkAddLayerNorm: x + r normalised, [8192, 256].
func BenchmarkAddLayerNorm(b *testing.B) {
	r := rng()
	benchKernel(b, NewAddLayerNorm(1e-12), []*tensor.Dense{randF32(r, 1, benchRows, benchHidden),
		randF32(r, 1, benchRows, benchHidden), randF32(r, 1, benchHidden), randF32(r, 1, benchHidden)})
}

// BenchmarkLayerNormRows measures the AddLayerNorm row loops in use (C in
// the cgo build, Go assembly in the pure-Go build on AVX2) and the Go ones
// on [512, 256] rows, one CPU.
func BenchmarkLayerNormRows(b *testing.B) {
	const rows = 512
	x, res, g, bias, dy := layerNormCase(rng(), rows, benchHidden, 3, true)
	y, dx, dr := make([]float32, rows*benchHidden), make([]float32, rows*benchHidden), make([]float32, rows*benchHidden)
	mean, rstd, dg, db := make([]float32, rows), make([]float32, rows), make([]float32, benchHidden), make([]float32, benchHidden)
	layerNormRowsGo(y, x, res, g, bias, mean, rstd, 1e-12)
	for _, impl := range []struct {
		name string
		fwd  func(y, x, r, g, b, mean, rstd []float32, eps float64)
		bwd  func(dx, dr, dg, db, x, r, g, dy, mean, rstd []float32)
	}{{"in-use", layerNormRows, layerNormGradRows}, {"go", layerNormRowsGo, layerNormGradRowsGo}} {
		b.Run(impl.name+"/forward", func(b *testing.B) {
			m, s := make([]float32, rows), make([]float32, rows)
			for range b.N {
				impl.fwd(y, x, res, g, bias, m, s, 1e-12)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows*benchHidden), "ns/value")
		})
		b.Run(impl.name+"/backward", func(b *testing.B) {
			for range b.N {
				impl.bwd(dx, dr, dg, db, x, res, g, dy, mean, rstd)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows*benchHidden), "ns/value")
		})
	}
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
		benchCPU(b, nil, func() {
			mem.newRun()
			sumRowsInto(db, dy, mem)
		})
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
