package student

import (
	"bufio"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
)

// Benchmark size: the student encoder, 32 triples, queries of 32 tokens and
// documents of 128 tokens (after ColBERT's marker insertion).
const (
	benchBatch  = 32
	benchQuery  = 32
	benchDoc    = 128
	benchLR     = 1e-4
	benchVocabL = 1000 // ids drawn from [benchVocabL, V) avoid special tokens
)

// benchBatchOf returns a full (unpadded) batch with query width lq and
// document width ld.
func benchBatchOf(seed uint64, vocab, lq, ld int) *TripleBatch {
	r := rand.New(rand.NewPCG(seed, 1))
	rows := func(n, w int) (ids, mask [][]int) {
		for range n {
			id, m := make([]int, w), make([]int, w)
			for j := range w {
				id[j], m[j] = benchVocabL+r.IntN(vocab-benchVocabL), 1
			}
			id[0], id[w-1] = 101, 102 // [CLS] … [SEP]
			ids, mask = append(ids, id), append(mask, m)
		}
		return ids, mask
	}
	b := &TripleBatch{}
	b.QueryIDs, b.QueryMask = rows(benchBatch, lq)
	b.PosIDs, b.PosMask = rows(benchBatch, ld)
	b.NegIDs, b.NegMask = rows(benchBatch, ld)
	return b
}

// encoderFLOPs returns the forward GEMM FLOPs of the encoder on n sequences
// of s tokens.
func encoderFLOPs(c EncoderConfig, n, s int) float64 {
	tok := float64(n * s)
	h, f := float64(c.Hidden), float64(c.FFN)
	perLayer := tok*2*(4*h*h+2*h*f) + float64(n)*2*2*float64(s*s)*h
	return float64(c.Layers) * perLayer
}

// benchStep times forward + backward + an SGD update of one training step.
func benchStep(b *testing.B, g *gorgonia.ExprGraph, m Model, batch *TripleBatch, gemmFLOPs float64) {
	resetPeakRSS()
	sPos, sNeg, _, err := m.ScoreTriples(batch)
	if err != nil {
		b.Fatal(err)
	}
	margins := make([]float32, benchBatch)
	loss := marginLossB(g, sPos, sNeg, margins)
	params := m.Params()
	if _, err := gorgonia.Grad(loss, Nodes(params)...); err != nil {
		b.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		sgd(b, params, benchLR)
		vm.Reset()
	}
	b.StopTimer()
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec*1e3, "ms/step")
	b.ReportMetric(float64(benchBatch)/sec, "triples/s")
	b.ReportMetric(gemmFLOPs/1e9, "GEMM-GFLOP/step")
	b.ReportMetric(gemmFLOPs/1e9/sec, "GFLOP/s")
	b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
}

func sgd(b *testing.B, ps []Param, lr float32) {
	for _, p := range ps {
		gv, err := p.Node.Grad()
		if err != nil {
			b.Fatal(err)
		}
		x, d := p.Node.Value().Data().([]float32), gv.Data().([]float32)
		for i := range x {
			x[i] -= lr * d[i]
		}
	}
}

// marginLossB is marginLoss for benchmarks.
func marginLossB(g *gorgonia.ExprGraph, sPos, sNeg *gorgonia.Node, margins []float32) *gorgonia.Node {
	t := &testing.T{}
	return marginLoss(t, g, sPos, sNeg, margins)
}

// resetPeakRSS returns freed memory to the OS and resets the peak resident
// set (Linux), so that peakRSSMiB reports this run and not an earlier graph
// of the same process (the benchmark harness runs b.N = 1 first).
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMiB reads the process's peak resident set (VmHWM) on Linux.
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

func BenchmarkColBERTStep(b *testing.B) {
	g := gorgonia.NewGraph()
	cfg := DefaultColBERT(StudentEncoder())
	m, err := NewColBERT(g, cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	enc := cfg.Encoder
	fwd := encoderFLOPs(enc, benchBatch, benchQuery) + encoderFLOPs(enc, 2*benchBatch, benchDoc) +
		2*float64(benchBatch*(benchQuery+2*benchDoc)*enc.Hidden*cfg.Dim)
	// Input documents are one token short: the [D] marker makes them 128.
	benchStep(b, g, m, benchBatchOf(1, enc.VocabSize, benchQuery-1, benchDoc-1), 3*fwd)
}

func BenchmarkSPLADEStep(b *testing.B) {
	g := gorgonia.NewGraph()
	cfg := DefaultSPLADE(StudentEncoder())
	m, err := NewSPLADE(g, cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	enc := cfg.Encoder
	tok := float64(benchBatch * (benchQuery + 2*benchDoc))
	h := float64(enc.Hidden)
	fwd := encoderFLOPs(enc, benchBatch, benchQuery) + encoderFLOPs(enc, 2*benchBatch, benchDoc) + tok*2*h*h
	head := tok * 2 * h * float64(enc.VocabSize) // forward only; backward is sparse
	benchStep(b, g, m, benchBatchOf(1, enc.VocabSize, benchQuery, benchDoc), 3*fwd+head)
}
