package nn

import (
	"fmt"
	"testing"
)

// BenchmarkGELURows measures the GELU row loops in use (C and vectorised
// in the cgo build) and the Go ones on a feed-forward activation block,
// [512, 1024], one CPU.
func BenchmarkGELURows(b *testing.B) {
	const rows, f = 512, 1024
	x, bias, y, dy, dx := make([]float32, rows*f), make([]float32, f), make([]float32, rows*f), make([]float32, rows*f), make([]float32, rows*f)
	share := make([]float32, f)
	for i := range x {
		x[i], dy[i] = float32(i%97)*0.07-3.3, 1
	}
	for _, impl := range []struct {
		name string
		fwd  func(y, x, b []float32)
		bwd  func(dx, x, b, dy, share []float32)
	}{{"in-use", geluRows, geluGradRows}, {"go", geluRowsGo, geluGradRowsGo}} {
		b.Run(impl.name+"/forward", func(b *testing.B) {
			for range b.N {
				impl.fwd(y, x, bias)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows*f), "ns/value")
		})
		b.Run(impl.name+"/backward", func(b *testing.B) {
			for range b.N {
				impl.bwd(dx, x, bias, dy, share)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows*f), "ns/value")
		})
	}
}

// BenchmarkSoftmaxRows measures the attention softmax loops in use (C and
// vectorised in the cgo build, assembly in the pure-Go build) and the Go
// ones on 16 probability blocks of a document batch, [16, 128, 128] with
// the last 28 keys padded, one CPU.
func BenchmarkSoftmaxRows(b *testing.B) {
	const blocks, S = 16, 128
	logits, keep := make([]float32, blocks*S*S), make([]float32, S)
	for i := range logits {
		logits[i] = float32(i%89)*0.09 - 4
	}
	for j := range keep[:100] {
		keep[j] = 1
	}
	p, dp := make([]float32, len(logits)), make([]float32, len(logits))
	for _, impl := range []struct {
		name string
		fwd  func(p []float32, S int, keep []float32)
		bwd  func(dp, p []float32, S int)
	}{{"in-use", softmaxRows, softmaxGradRows}, {"go", softmaxMasked, softmaxGradRowsGo}} {
		b.Run(impl.name+"/forward", func(b *testing.B) {
			for range b.N {
				copy(p, logits)
				for k := range blocks {
					impl.fwd(p[k*S*S:(k+1)*S*S], S, keep)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(p)), "ns/value")
		})
		b.Run(impl.name+"/backward", func(b *testing.B) {
			for range b.N {
				copy(dp, logits)
				for k := range blocks {
					impl.bwd(dp[k*S*S:(k+1)*S*S], p[k*S*S:(k+1)*S*S], S)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(p)), "ns/value")
		})
	}
}

// BenchmarkWeightGradient measures the weight-gradient products dW =
// dyᵀ·x of the ColBERT step's Linears (split along k by sgemmSplitK) at
// the document (8,192 tokens) and query (1,024 tokens) batches, for the
// attention's [256, 256] and the feed-forward's [1024, 256] weights, with
// the process's CPU time per product (cpu-ns/op).
func BenchmarkWeightGradient(b *testing.B) {
	r := rng()
	for _, tokens := range []int{8192, 1024} {
		for _, out := range []int{256, 1024} {
			const in = 256
			x, dy, dw := f32(randF32(r, 1, tokens, in)), f32(randF32(r, 1, tokens, out)), make([]float32, out*in)
			b.Run(fmt.Sprintf("%dx%dx%d", out, in, tokens), func(b *testing.B) {
				benchCPU(b, nil, func() { sgemmLarge(true, false, out, in, tokens, 1, dy, out, x, in, 0, dw, in) })
				b.ReportMetric(2*float64(out*in*tokens)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
