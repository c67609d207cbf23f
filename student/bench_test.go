package student_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/internal/cputime"
	"github.com/distill-ml/distill/losses"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/student/nn"
	"github.com/distill-ml/distill/training"
)

// The Step benchmarks time one training step of the student encoder as the
// trainer runs it: forward, backward, gradient clipping and AdamW, on 32
// triples with queries of 32 tokens and documents of 128 tokens (after
// ColBERT's marker insertion), Margin-MSE loss. -threads 1,2,4 runs each at
// those thread counts (GOMAXPROCS; OpenBLAS follows it); the run ends with
// a table that relates each step's GEMM rate to the machine's own float32
// GEMM rate measured in the same run at the same thread count, and a table
// of where each step's wall time went (the kernels' forward and backward
// passes, gradient sums, clipping, AdamW) with CPUs busy; -kernels adds
// each kernel's time.
var benchThreads = flag.String("threads", "", "comma-separated thread counts of the Step benchmarks (default: GOMAXPROCS)")

// -kernels adds a table of every kernel's forward and backward time.
var benchKernels = flag.Bool("kernels", false, "print the wall time of each kernel's forward and backward pass")

// Benchmark size.
const (
	benchBatch  = 32
	benchQuery  = 32
	benchDoc    = 128
	benchLR     = 1e-4
	benchVocabL = 1000 // ids drawn from [benchVocabL, V) avoid special tokens
)

// benchBatchOf returns a full (unpadded) batch with query width lq and
// document width ld.
func benchBatchOf(seed uint64, vocab, lq, ld int) *student.TripleBatch {
	r := rand.New(rand.NewPCG(seed, 1))
	rows := func(n, w int) (ids, mask [][]int32) {
		for range n {
			id, m := make([]int32, w), make([]int32, w)
			for j := range w {
				id[j], m[j] = int32(benchVocabL+r.IntN(vocab-benchVocabL)), 1
			}
			id[0], id[w-1] = 101, 102 // [CLS] … [SEP]
			ids, mask = append(ids, id), append(mask, m)
		}
		return ids, mask
	}
	b := &student.TripleBatch{}
	b.QueryIDs, b.QueryMask = rows(benchBatch, lq)
	b.PosIDs, b.PosMask = rows(benchBatch, ld)
	b.NegIDs, b.NegMask = rows(benchBatch, ld)
	return b
}

// encoderFLOPs returns the forward GEMM FLOPs of the encoder on n sequences
// of s tokens: the six weight products per token and the two attention
// products per sequence and layer.
func encoderFLOPs(c student.EncoderConfig, n, s int) float64 {
	tok := float64(n * s)
	h, f := float64(c.Hidden), float64(c.FFN)
	perLayer := tok*2*(4*h*h+2*h*f) + float64(n)*2*2*float64(s*s)*h
	return float64(c.Layers) * perLayer
}

// benchModel is a model's training step, built once per architecture and
// reused across thread counts and the harness's b.N rounds.
type benchModel struct {
	arch   string
	vm     gorgonia.VM
	params []student.Param
	vals   [][]float32
	opt    *training.AdamW
	flops  float64 // analytic GEMM FLOPs of one step (forward and backward)

	graph, clip, adamw time.Duration // wall time of the phases of the steps run
}

var current *benchModel

// modelFor returns the step of arch, building it (and dropping the previous
// architecture's, resetting the peak RSS) when needed.
func modelFor(b *testing.B, arch string) *benchModel {
	if current != nil && current.arch == arch {
		return current
	}
	if current != nil {
		current.vm.Close()
		current = nil
	}
	resetPeakRSS()
	g := gorgonia.NewGraph()
	enc := student.StudentEncoder()
	var (
		m     student.Model
		batch *student.TripleBatch
		fwd   float64
		err   error
	)
	switch arch {
	case "ColBERT":
		cfg := student.DefaultColBERT(enc)
		m, err = student.NewColBERT(g, cfg, 1)
		fwd = encoderFLOPs(enc, benchBatch, benchQuery) + encoderFLOPs(enc, 2*benchBatch, benchDoc) +
			2*float64(benchBatch*(benchQuery+2*benchDoc)*enc.Hidden*cfg.Dim)
		fwd *= 3 // forward, and the two products of the backward pass
		// Input documents are one token short: the [D] marker makes them 128.
		batch = benchBatchOf(1, enc.VocabSize, benchQuery-1, benchDoc-1)
	case "SPLADE":
		cfg := student.DefaultSPLADE(enc)
		m, err = student.NewSPLADE(g, cfg, 1)
		tok := float64(benchBatch * (benchQuery + 2*benchDoc))
		h := float64(enc.Hidden)
		fwd = 3 * (encoderFLOPs(enc, benchBatch, benchQuery) + encoderFLOPs(enc, 2*benchBatch, benchDoc) + tok*2*h*h)
		fwd += tok * 2 * h * float64(enc.VocabSize) // the vocabulary head: forward only, its backward is sparse
		batch = benchBatchOf(1, enc.VocabSize, benchQuery, benchDoc)
	}
	if err != nil {
		b.Fatal(err)
	}
	_, params := trainingGraph(b, m, batch)
	bm := &benchModel{arch: arch, vm: nn.NewMachine(g), params: params, flops: fwd}
	for _, p := range params {
		bm.vals = append(bm.vals, p.Node.Value().(*tensor.Dense).Float32s())
	}
	bm.opt = training.NewAdamWFor(params, 0.9, 0.999, 1e-8, 0.01)
	current = bm
	return bm
}

// trainingGraph adds to m's graph the MarginMSE loss of batch against fixed
// teacher margins (−2…2) and its gradients; it returns the loss node and
// m's parameters.
func trainingGraph(tb testing.TB, m student.Model, batch *student.TripleBatch) (*gorgonia.Node, []student.Param) {
	tb.Helper()
	sPos, sNeg, _, err := m.ScoreTriples(batch)
	if err != nil {
		tb.Fatal(err)
	}
	margins := make([]float32, len(batch.QueryIDs))
	for i := range margins {
		margins[i] = float32(i%5) - 2
	}
	loss, err := losses.MarginMSEFromMargin(sPos, sNeg, margins)
	if err != nil {
		tb.Fatal(err)
	}
	params := m.Params()
	if _, err := gorgonia.Grad(loss, student.Nodes(params)...); err != nil {
		tb.Fatal(err)
	}
	return loss, params
}

// step runs one training step as the trainer does: forward, backward, the
// gradient norm (phase "clip") and AdamW, which applies the clip scale. Each
// phase runs under the pprof labels arch and phase (the goroutines it
// starts inherit them) and threads, so that a -cpuprofile can be split
// with pprof's -tagfocus.
func (bm *benchModel) step(b *testing.B) {
	phase := func(name string, d *time.Duration, fn func()) {
		t0 := time.Now()
		pprof.Do(context.Background(), pprof.Labels("arch", bm.arch, "threads", strconv.Itoa(runtime.GOMAXPROCS(0)), "phase", name), func(context.Context) { fn() })
		*d += time.Since(t0)
	}
	var err error
	phase("graph", &bm.graph, func() {
		bm.vm.Reset()
		err = bm.vm.RunAll()
	})
	if err != nil {
		b.Fatal(err)
	}
	grads := make([][]float32, len(bm.params))
	for i, p := range bm.params {
		g, err := p.Node.Grad()
		if err != nil {
			b.Fatal(err)
		}
		grads[i] = g.(*tensor.Dense).Float32s() // as the trainer reads them: Data() allocates
	}
	var norm float64
	phase("clip", &bm.clip, func() { norm = training.GlobalNorm(grads) })
	phase("adamw", &bm.adamw, func() { bm.opt.Update(bm.vals, grads, benchLR, training.ClipScale(norm, 1)) })
}

// stepResult is one row of the closing table.
type stepResult struct {
	arch, build        string
	threads            int
	ms, gflop          float64
	rss, gemm          float64
	allocs, allocBytes float64
	n                  int     // timed steps
	cpus               float64 // CPU time over wall time of the timed steps
	// Wall ms per step: the kernels' forward and backward passes, the
	// gradient sums, the rest of the graph run, clipping and AdamW.
	fwd, bwd, sum, other, clip, adamw float64
	kernels                           []nn.KernelTime
}

var results = map[string]*stepResult{}
var order []string

func benchArch(b *testing.B, arch string) {
	// The machine's GEMM rate at each thread count, measured before the
	// model is built so that its matrices do not count in the peak RSS.
	rates := map[int]float64{}
	for _, t := range threadList(b) {
		prev := runtime.GOMAXPROCS(t)
		rates[t] = nn.GEMMRate(2048, 3)
		runtime.GOMAXPROCS(prev)
	}
	for _, t := range threadList(b) {
		b.Run(fmt.Sprintf("threads=%d", t), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(t))
			bm := modelFor(b, arch)
			bm.step(b) // warm-up: the kernels' arenas fill here
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			bm.graph, bm.clip, bm.adamw = 0, 0, 0
			nn.SetTiming(true)
			defer nn.SetTiming(false)
			cpu0 := cputime.Process()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				bm.step(b)
			}
			b.StopTimer()
			cpu := cputime.Process() - cpu0
			runtime.ReadMemStats(&m1)
			sec := b.Elapsed().Seconds() / float64(b.N)
			r := &stepResult{arch: arch, build: nn.BLAS, threads: t, ms: sec * 1e3, gflop: bm.flops / 1e9,
				rss: peakRSSMiB(), gemm: rates[t],
				allocs:     float64(m1.Mallocs-m0.Mallocs) / float64(b.N),
				allocBytes: float64(m1.TotalAlloc-m0.TotalAlloc) / float64(b.N),
				cpus:       cpu.Seconds() / b.Elapsed().Seconds(),
				kernels:    nn.Timings()}
			r.n = b.N
			r.phases(bm, b.N)
			b.ReportMetric(r.ms, "ms/step")
			b.ReportMetric(float64(benchBatch)/sec, "triples/s")
			b.ReportMetric(r.gflop, "GEMM-GFLOP/step")
			b.ReportMetric(r.gflop/sec, "GFLOP/s")
			b.ReportMetric(r.gemm, "SGEMM-GFLOP/s")
			b.ReportMetric(r.gflop/sec/r.gemm, "of-SGEMM")
			b.ReportMetric(r.rss, "peak-RSS-MiB")
			b.ReportMetric(r.cpus, "CPUs-busy")
			key := fmt.Sprintf("%s/%d", arch, t)
			if _, ok := results[key]; !ok {
				order = append(order, key)
			}
			results[key] = r
		})
	}
}

// threadList parses -threads.
func threadList(b *testing.B) []int {
	if *benchThreads == "" {
		return []int{runtime.GOMAXPROCS(0)}
	}
	var ts []int
	for _, f := range strings.Split(*benchThreads, ",") {
		t, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || t < 1 {
			b.Fatalf("-threads %q: %q is not a thread count", *benchThreads, f)
		}
		ts = append(ts, t)
	}
	return ts
}

func BenchmarkColBERTStep(b *testing.B) { benchArch(b, "ColBERT") }
func BenchmarkSPLADEStep(b *testing.B)  { benchArch(b, "SPLADE") }

// TestMain prints the table of the Step benchmarks that ran.
func TestMain(m *testing.M) {
	code := m.Run()
	if len(order) > 0 {
		printTable(os.Stdout)
	}
	os.Exit(code)
}

// phases sets the per-step wall times of the step's phases from the
// kernel timings and bm's phase totals over n steps.
func (r *stepResult) phases(bm *benchModel, n int) {
	perStep := func(d time.Duration) float64 { return d.Seconds() * 1e3 / float64(n) }
	var kern time.Duration
	for _, k := range r.kernels {
		switch k.Pass {
		case "forward":
			r.fwd += perStep(k.Time)
		case "backward":
			r.bwd += perStep(k.Time)
		case "sum":
			r.sum += perStep(k.Time)
		}
		kern += k.Time
	}
	r.other = perStep(bm.graph - kern)
	r.clip, r.adamw = perStep(bm.clip), perStep(bm.adamw)
}

func printTable(f *os.File) {
	fmt.Fprintf(f, "\ntraining step (forward, backward, AdamW), %d triples, %d/%d tokens, BLAS %s (%s), %d CPUs, %s\n",
		benchBatch, benchQuery, benchDoc, nn.BLAS, nn.BLASCore, runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))
	w := tabwriter.NewWriter(f, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "arch\tbuild\tthreads\tms/step\tGEMM GFLOP/step\tGFLOP/s\tSGEMM GFLOP/s\tratio\tspeed-up vs first row\tpeak RSS MiB\tallocs/step\tMB alloc/step\t")
	first := map[string]float64{}
	for _, k := range order {
		r := results[k]
		if _, ok := first[r.arch]; !ok {
			first[r.arch] = r.ms
		}
		rate := r.gflop / (r.ms / 1e3)
		fmt.Fprintf(w, "%s\t%s\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\t%.1f\t\n", r.arch, r.build, r.threads,
			r.ms, r.gflop, rate, r.gemm, rate/r.gemm, first[r.arch]/r.ms, r.rss, r.allocs, r.allocBytes/1e6)
	}
	w.Flush()
	printPhases(f)
	if *benchKernels {
		printKernels(f)
	}
}

// printPhases prints where each step's wall time went, with each phase's
// speed-up over the architecture's first row (its first thread count).
func printPhases(f *os.File) {
	fmt.Fprintln(f, "\nwall ms per step by phase (speed-up vs first row); CPUs busy = CPU time / wall time")
	w := tabwriter.NewWriter(f, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "arch\tbuild\tthreads\tforward\tbackward\tgradient sums\tother graph\tclip\tAdamW\tCPUs busy\t")
	first := map[string]*stepResult{}
	for _, k := range order {
		r := results[k]
		if first[r.arch] == nil {
			first[r.arch] = r
		}
		f0 := first[r.arch]
		cell := func(v, v0 float64) string { return fmt.Sprintf("%.0f (%.2f)", v, v0/v) }
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t\n", r.arch, r.build, r.threads,
			cell(r.fwd, f0.fwd), cell(r.bwd, f0.bwd), cell(r.sum, f0.sum), cell(r.other, f0.other),
			cell(r.clip, f0.clip), cell(r.adamw, f0.adamw), r.cpus)
	}
	w.Flush()
}

// printKernels prints every kernel pass's wall ms per step, one column per
// row of the main table.
func printKernels(f *os.File) {
	fmt.Fprintln(f, "\nwall ms per step by kernel and pass")
	w := tabwriter.NewWriter(f, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "kernel\tpass\t")
	type key struct{ kernel, pass string }
	var keys []key
	seen := map[key]bool{}
	for _, k := range order {
		r := results[k]
		fmt.Fprintf(w, "%s/%s/%d\t", r.arch, r.build, r.threads)
		for _, kt := range r.kernels {
			if kk := (key{kt.Kernel, kt.Pass}); !seen[kk] {
				seen[kk] = true
				keys = append(keys, kk)
			}
		}
	}
	fmt.Fprintln(w)
	for _, kk := range keys {
		fmt.Fprintf(w, "%s\t%s\t", kk.kernel, kk.pass)
		for _, k := range order {
			r := results[k]
			ms := 0.0
			for _, kt := range r.kernels {
				if kt.Kernel == kk.kernel && kt.Pass == kk.pass {
					ms = kt.Time.Seconds() * 1e3 / float64(r.n)
				}
			}
			fmt.Fprintf(w, "%.1f\t", ms)
		}
		fmt.Fprintln(w)
	}
	w.Flush()
}

// resetPeakRSS returns freed memory to the OS and resets the peak resident
// set (Linux), so that peakRSSMiB reports this model and not an earlier one.
func resetPeakRSS() {
	runtime.GC() // twice: sync.Pool's victim cache (tensor headers) survives one
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
