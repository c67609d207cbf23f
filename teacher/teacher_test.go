package teacher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/ortlib"
	"github.com/distill-ml/distill/internal/testfix"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/tokenizer"
)

const (
	dataDir  = "../data/trec-dl19-passage-subset"
	tokPath  = "../data/tokenizers/bert-base-uncased/tokenizer.json"
	maxLen   = 64
	childEnv = "DISTILL_TEACHER_TEST_CHILD"
)

// fixture is a tiny BERT-shaped cross-encoder (real vocabulary, seeded
// weights) and candidates over real MS MARCO passages.
type fixture struct {
	dir, model, model2, modelNoTypes string
	modelInt32, modelFP16            string
	queries, corpus, candidates      string
	cfg                              bertonnx.Config
	weights                          bertonnx.Weights
	pairs                            int
}

var (
	fixtures   = testfix.Once(makeFixture)
	getFixture = fixtures.Get // built by the first test that asks
)

func makeFixture() (*fixture, error) {
	dir, err := os.MkdirTemp("", "teacher-test-")
	if err != nil {
		return nil, err
	}
	f := &fixture{dir: dir, cfg: bertonnx.Tiny()}
	f.weights = bertonnx.RandomWeights(f.cfg, 7)
	f.model = filepath.Join(dir, "model.onnx")
	if err := bertonnx.WriteCrossEncoder(f.model, f.cfg, f.weights, bertonnx.WriteOptions{}); err != nil {
		return nil, err
	}
	f.modelNoTypes = filepath.Join(dir, "model-notypes.onnx")
	if err := bertonnx.WriteCrossEncoder(f.modelNoTypes, f.cfg, f.weights, bertonnx.WriteOptions{OmitTokenTypeIDs: true}); err != nil {
		return nil, err
	}
	// The same weights with int32 inputs, and with a float16 output too.
	f.modelInt32 = filepath.Join(dir, "model-int32.onnx")
	if err := bertonnx.WriteCrossEncoder(f.modelInt32, f.cfg, f.weights, bertonnx.WriteOptions{Int32Inputs: true}); err != nil {
		return nil, err
	}
	f.modelFP16 = filepath.Join(dir, "model-fp16.onnx")
	if err := bertonnx.WriteCrossEncoder(f.modelFP16, f.cfg, f.weights, bertonnx.WriteOptions{Int32Inputs: true, Float16Logits: true}); err != nil {
		return nil, err
	}
	cfg2 := f.cfg
	cfg2.NumLabels = 2
	f.model2 = filepath.Join(dir, "model-2class.onnx")
	if err := bertonnx.WriteCrossEncoder(f.model2, cfg2, bertonnx.RandomWeights(cfg2, 7), bertonnx.WriteOptions{}); err != nil {
		return nil, err
	}
	f.queries = filepath.Join(dataDir, "queries.jsonl")
	f.corpus = filepath.Join(dataDir, "corpus.jsonl")
	// Candidates: the judged passages of 12 queries, 10 each.
	qids, judged, err := testfix.JudgedDocs(12, 0)
	if err != nil {
		return nil, err
	}
	run := datasets.Run{}
	for _, q := range qids {
		docs := judged[q]
		for i, d := range docs[:min(10, len(docs))] {
			run[q] = append(run[q], datasets.RunEntry{QueryID: q, DocID: d, Rank: i + 1, Score: float64(10 - i)})
			f.pairs++
		}
	}
	f.candidates = filepath.Join(dir, "candidates.run")
	return f, datasets.WriteRun(f.candidates, run, "test")
}

func (f *fixture) job(out string) *LabelJob {
	return &LabelJob{Model: f.model, Tokenizer: tokPath, Queries: f.queries, Corpus: f.corpus, Candidates: f.candidates,
		Out: out, MaxLength: maxLen, BatchSize: 4, ChunkPairs: 10, Activation: "none (raw logit)"}
}

func newEngine(t testing.TB, model string, workers int) *Engine {
	t.Helper()
	tok, err := LoadTokenizer(tokPath)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := NewONNXScorer(model, ONNXOptions{Threads: 1, Sessions: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return &Engine{Scorer: sc, Tokenizer: tok, MaxLength: maxLen, BatchSize: 4, Workers: workers}
}

func readLabels(t testing.TB, dir string) map[string]labels.Row {
	t.Helper()
	rows, _, err := labels.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]labels.Row{}
	for _, r := range rows {
		m[r.QueryID] = r
	}
	return m
}

// referenceScores computes every pair's logits with the plain-Go forward
// pass of the same weights.
func referenceScores(t testing.TB, f *fixture, cfg bertonnx.Config, w bertonnx.Weights, twoClass, zeroTypes bool) map[[2]string]float64 {
	t.Helper()
	in, err := LoadInputs(f.queries, f.corpus, f.candidates, InputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := LoadTokenizer(tokPath)
	out := map[[2]string]float64{}
	for _, g := range in.Groups {
		q := tok.Tokenize(in.Texts.Queries[g.QueryID])
		for _, d := range g.DocIDs {
			ids, types := tok.BuildPair(q, tok.Tokenize(in.Texts.Docs[d]), maxLen)
			mask := make([]int32, len(ids))
			for i := range mask {
				mask[i] = 1
			}
			if zeroTypes {
				types = make([]int32, len(ids))
			}
			logits, err := bertonnx.Forward(cfg, w, [][]int32{ids}, [][]int32{types}, [][]int32{mask})
			if err != nil {
				t.Fatal(err)
			}
			s := logits[0][0]
			if twoClass {
				s = logits[0][1] - logits[0][0]
			}
			out[[2]string{g.QueryID, d}] = s
		}
	}
	return out
}

func TestLabelMatchesReferenceForward(t *testing.T) {
	f := getFixture(t)
	for _, tc := range []struct {
		name, model string
		twoClass    bool
		workers     int
		tol         float64 // relative to max(1, |reference|)
	}{
		{"one-logit", f.model, false, 1, 1e-4},
		{"two-class", f.model2, true, 2, 1e-4},
		{"no-token-types", f.modelNoTypes, false, 1, 1e-4},
		{"int32-inputs", f.modelInt32, false, 1, 1e-4},
		// float16 keeps 11 significant bits: a relative error up to 2⁻¹¹.
		{"float16-logits", f.modelFP16, false, 1, 1e-4 + 1.0/2048},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			job := f.job(out)
			job.Model = tc.model
			res, err := Label(context.Background(), job, newEngine(t, tc.model, tc.workers), zap.NewNop())
			if err != nil {
				t.Fatal(err)
			}
			if res.Pairs != f.pairs || res.Stats.Pairs != f.pairs || res.Queries != 12 {
				t.Fatalf("labelled %d pairs (%d scored) of %d queries, want %d of 12", res.Pairs, res.Stats.Pairs, res.Queries, f.pairs)
			}
			cfg, w := f.cfg, f.weights
			if tc.twoClass {
				cfg.NumLabels = 2
				w = bertonnx.RandomWeights(cfg, 7)
			}
			// Without token_type_ids the model uses type 0 everywhere.
			ref := referenceScores(t, f, cfg, w, tc.twoClass, tc.model == f.modelNoTypes)
			got := readLabels(t, out)
			var maxDiff, spread float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, r := range got {
				for i, d := range r.DocumentIDs {
					s, want := float64(r.Scores[i]), ref[[2]string{r.QueryID, d}]
					lo, hi = math.Min(lo, s), math.Max(hi, s)
					maxDiff = math.Max(maxDiff, math.Abs(s-want)/math.Max(1, math.Abs(want)))
				}
			}
			spread = hi - lo
			if maxDiff > tc.tol {
				t.Errorf("max |ONNX Runtime − reference| / max(1, |reference|) = %g, want ≤ %g", maxDiff, tc.tol)
			}
			if spread < 0.1 {
				t.Errorf("scores span only %g: the fixture cannot tell rankings apart", spread)
			}
			t.Logf("max abs diff %.2g over %d pairs, score range [%.3f, %.3f]", maxDiff, f.pairs, lo, hi)
		})
	}
}

func TestFinishedJobDoesNothingAndOtherJobRefused(t *testing.T) {
	f := getFixture(t)
	out := t.TempDir()
	eng := newEngine(t, f.model, 1)
	if _, err := Label(context.Background(), f.job(out), eng, zap.NewNop()); err != nil {
		t.Fatal(err)
	}
	res, err := Label(context.Background(), f.job(out), eng, zap.NewNop())
	if err != nil || !res.AlreadyComplete || res.Pairs != f.pairs {
		t.Fatalf("second run: %+v, %v; want already complete", res, err)
	}
	job := f.job(out)
	job.MaxLength = 32
	if _, err := Label(context.Background(), job, eng, zap.NewNop()); err == nil || !strings.Contains(err.Error(), "max_length") {
		t.Fatalf("different job in the same folder: err = %v", err)
	}
}

func TestMissingInputs(t *testing.T) {
	f := getFixture(t)
	run, _ := datasets.ReadRun(f.candidates)
	var q string
	for q = range run {
		break
	}
	run[q] = append(run[q], datasets.RunEntry{QueryID: q, DocID: "no-such-doc", Rank: 99})
	run["no-such-query"] = []datasets.RunEntry{{QueryID: "no-such-query", DocID: run[q][0].DocID, Rank: 1}}
	cand := filepath.Join(t.TempDir(), "bad.run")
	if err := datasets.WriteRun(cand, run, "t"); err != nil {
		t.Fatal(err)
	}
	_, err := LoadInputs(f.queries, f.corpus, cand, InputOptions{})
	var mt *MissingTextError
	if !errors.As(err, &mt) || mt.MissingQueries != 1 || mt.MissingDocs != 1 || !strings.Contains(err.Error(), "no-such-doc") || !strings.Contains(err.Error(), "no-such-query") {
		t.Fatalf("err = %v", err)
	}
	in, err := LoadInputs(f.queries, f.corpus, cand, InputOptions{SkipMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if in.Report.MissingDocs != 1 || in.Report.MissingQueries != 1 || in.Report.Pairs != f.pairs {
		t.Errorf("report %+v, want 1 missing doc, 1 missing query, %d pairs", in.Report, f.pairs)
	}
}

func TestShardsMergeToUnsharded(t *testing.T) {
	f := getFixture(t)
	eng := newEngine(t, f.model, 1)
	whole := t.TempDir()
	if _, err := Label(context.Background(), f.job(whole), eng, zap.NewNop()); err != nil {
		t.Fatal(err)
	}
	sharded := t.TempDir()
	for i := 0; i < 3; i++ {
		job := f.job(sharded)
		job.Inputs.Shard = labels.Shard{Index: i, Count: 3}
		res, err := Label(context.Background(), job, eng, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		if res.Queries != 4 {
			t.Errorf("shard %d has %d queries, want 4 of 12", i, res.Queries)
		}
		if i == 1 {
			if _, err := labels.Merge(sharded); err == nil || !strings.Contains(err.Error(), "shard-00002-of-00003") {
				t.Fatalf("merge with a shard missing: err = %v", err)
			}
		}
	}
	if _, err := labels.Merge(sharded); err != nil {
		t.Fatal(err)
	}
	assertSameLabels(t, readLabels(t, whole), readLabels(t, sharded))
}

func assertSameLabels(t *testing.T, want, got map[string]labels.Row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d queries, want %d", len(got), len(want))
	}
	for q, w := range want {
		g := got[q]
		if strings.Join(g.DocumentIDs, " ") != strings.Join(w.DocumentIDs, " ") {
			t.Fatalf("query %s: documents %v, want %v", q, g.DocumentIDs, w.DocumentIDs)
		}
		for i := range w.Scores {
			if math.Float32bits(g.Scores[i]) != math.Float32bits(w.Scores[i]) {
				t.Fatalf("query %s doc %s: score %v, want %v (bit for bit)", q, w.DocumentIDs[i], g.Scores[i], w.Scores[i])
			}
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name string
		env  func(string) string
		want string
		ok   bool
		err  bool
	}{
		{"none", env(), "", false, false},
		{"k8s", env("JOB_COMPLETION_INDEX", "2", "JOB_COMPLETIONS", "4"), "2/4", true, false},
		{"k8s no count", env("JOB_COMPLETION_INDEX", "2"), "", false, true},
		{"slurm", env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "8"), "3/8", true, false},
		{"slurm from 1", env("SLURM_ARRAY_TASK_ID", "8", "SLURM_ARRAY_TASK_COUNT", "8", "SLURM_ARRAY_TASK_MIN", "1"), "7/8", true, false},
		{"index too big", env("JOB_COMPLETION_INDEX", "4", "JOB_COMPLETIONS", "4"), "", false, true},
	} {
		s, ok, err := ShardFromEnv(tc.env)
		if (err != nil) != tc.err || ok != tc.ok || (ok && s.String() != tc.want) {
			t.Errorf("%s: %v %v %v, want %s %v err=%v", tc.name, s, ok, err, tc.want, tc.ok, tc.err)
		}
	}
	for _, bad := range []string{"3", "3/3", "-1/2", "a/b", "1/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

func TestRerankOrdersByTeacher(t *testing.T) {
	f := getFixture(t)
	in, err := LoadInputs(f.queries, f.corpus, f.candidates, InputOptions{Depth: 5})
	if err != nil {
		t.Fatal(err)
	}
	run, st, err := Rerank(context.Background(), newEngine(t, f.model, 1), in, "ce")
	if err != nil {
		t.Fatal(err)
	}
	if st.Pairs != 12*5 || len(run) != 12 {
		t.Fatalf("reranked %d pairs of %d queries", st.Pairs, len(run))
	}
	ref := referenceScores(t, f, f.cfg, f.weights, false, false)
	for q, entries := range run {
		for i := 1; i < len(entries); i++ {
			if entries[i].Score > entries[i-1].Score || entries[i].Rank != i+1 {
				t.Fatalf("query %s not ordered: %+v", q, entries)
			}
		}
		if d := math.Abs(entries[0].Score - ref[[2]string{q, entries[0].DocID}]); d > 1e-4 {
			t.Errorf("query %s top score differs from reference by %g", q, d)
		}
	}
}

// slowScorer delays every batch so a child process can be killed mid-job.
type slowScorer struct {
	Scorer
	delay time.Duration
}

func (s slowScorer) Score(b *tokenizer.Batch) ([]float32, error) {
	time.Sleep(s.delay)
	return s.Scorer.Score(b)
}

// TestMain runs the labelling job as a child process when asked: the parent
// test kills it with SIGKILL.
func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		var job LabelJob
		if err := json.Unmarshal([]byte(spec), &job); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		tok, err := LoadTokenizer(job.Tokenizer)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		sc, err := NewONNXScorer(job.Model, ONNXOptions{Threads: 1})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		eng := &Engine{Scorer: slowScorer{sc, 15 * time.Millisecond}, Tokenizer: tok, MaxLength: job.MaxLength, BatchSize: job.BatchSize, Workers: 2}
		if _, err := Label(context.Background(), &job, eng, zap.NewNop()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if fix, ok := fixtures.Built(); ok {
		os.RemoveAll(fix.dir)
	}
	os.Exit(code)
}

func startChild(t *testing.T, job *LabelJob) *exec.Cmd {
	t.Helper()
	spec, _ := json.Marshal(job)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func countParts(dir string) int {
	m, _ := filepath.Glob(filepath.Join(dir, "part-*.arrow"))
	return len(m)
}

// TestResumeAfterKill kills a labelling process with SIGKILL at several
// points (before any chunk, after one, half-way, after all chunks but before
// the manifest), runs the same job again, and checks the final labels equal
// an uninterrupted run's bit for bit, with no pair lost or duplicated.
func TestResumeAfterKill(t *testing.T) {
	f := getFixture(t)
	want := t.TempDir()
	if _, err := Label(context.Background(), f.job(want), newEngine(t, f.model, 1), zap.NewNop()); err != nil {
		t.Fatal(err)
	}
	wantLabels := readLabels(t, want)
	chunks := len(PlanChunks(mustInputs(t, f).Groups, 10))
	for _, killAt := range []int{0, 1, chunks / 2, chunks - 1} {
		t.Run(fmt.Sprintf("after-%d-of-%d-chunks", killAt, chunks), func(t *testing.T) {
			out := t.TempDir()
			job := f.job(out)
			cmd := startChild(t, job)
			deadline := time.Now().Add(60 * time.Second)
			for countParts(out) < killAt && time.Now().Before(deadline) {
				time.Sleep(2 * time.Millisecond)
			}
			if killAt == 0 {
				time.Sleep(30 * time.Millisecond) // mid first chunk
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			done := countParts(out)
			if _, err := os.Stat(filepath.Join(out, labels.ManifestName)); err == nil {
				t.Skipf("child finished before the kill (%d parts)", done)
			}
			res, err := Label(context.Background(), job, newEngine(t, f.model, 1), zap.NewNop())
			if err != nil {
				t.Fatal(err)
			}
			if res.Skipped != done || res.Stats.Pairs+skippedPairs(res) != f.pairs {
				t.Errorf("resumed %d chunks (had %d on disk), scored %d pairs", res.Skipped, done, res.Stats.Pairs)
			}
			assertSameLabels(t, wantLabels, readLabels(t, out))
			if leftovers, _ := filepath.Glob(filepath.Join(out, ".*tmp*")); len(leftovers) > 0 {
				t.Errorf("temp files left: %v", leftovers)
			}
			t.Logf("killed with %d of %d chunks on disk; resume scored %d pairs", done, chunks, res.Stats.Pairs)
		})
	}
}

func skippedPairs(res *LabelResult) int { return res.Pairs - res.Stats.Pairs }

func mustInputs(t *testing.T, f *fixture) *Inputs {
	in, err := LoadInputs(f.queries, f.corpus, f.candidates, InputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestResumeRedoesDamagedChunk: a part file of another content (or a stale
// temp file) is not trusted.
func TestResumeRedoesDamagedChunk(t *testing.T) {
	f := getFixture(t)
	out := t.TempDir()
	eng := newEngine(t, f.model, 1)
	if _, err := Label(context.Background(), f.job(out), eng, zap.NewNop()); err != nil {
		t.Fatal(err)
	}
	want := readLabels(t, out)
	os.Remove(filepath.Join(out, labels.ManifestName))
	// Replace part 1 with a different query's content, leave a temp file.
	labels.WritePart(filepath.Join(out, partName(1)), []labels.Row{{QueryID: "x", DocumentIDs: []string{"y"}, Scores: []float32{1}}}, nil)
	os.WriteFile(filepath.Join(out, ".part-00002.arrow.tmp-123"), []byte("junk"), 0o644)
	res, err := Label(context.Background(), f.job(out), eng, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Pairs == 0 || res.Skipped != res.Chunks-1 {
		t.Errorf("redid %d pairs, skipped %d of %d chunks", res.Stats.Pairs, res.Skipped, res.Chunks)
	}
	assertSameLabels(t, want, readLabels(t, out))
}

func TestCancelKeepsFinishedChunks(t *testing.T) {
	f := getFixture(t)
	out := t.TempDir()
	eng := newEngine(t, f.model, 1)
	eng.Scorer = slowScorer{eng.Scorer, 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for countParts(out) < 2 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := Label(ctx, f.job(out), eng, zap.NewNop())
	if err == nil {
		t.Fatal("cancelled job reported success")
	}
	if n := countParts(out); n < 2 {
		t.Fatalf("%d parts kept", n)
	}
	if _, err := os.Stat(filepath.Join(out, labels.ManifestName)); err == nil {
		t.Fatal("manifest written for an unfinished job")
	}
}

// The ONNX Runtime build make installs is CPU-only: asking for CUDA must be a
// clear error, not a crash or a silent CPU run.
func TestCUDAUnavailableIsClearError(t *testing.T) {
	f := getFixture(t)
	_, err := NewONNXScorer(f.model, ONNXOptions{Device: "cuda"})
	if err == nil {
		t.Skip("this ONNX Runtime library has the CUDA provider")
	}
	if !errors.Is(err, ErrNoCUDA) || !strings.Contains(err.Error(), "LibraryPath") || !strings.Contains(err.Error(), ortlib.EnvVar) {
		t.Fatalf("err = %v, want ErrNoCUDA naming LibraryPath and %s", err, ortlib.EnvVar)
	}
	if _, err := NewONNXScorer(f.model, ONNXOptions{Device: "tpu"}); err == nil || !strings.Contains(err.Error(), "unknown device") {
		t.Fatalf("unknown device: err = %v", err)
	}
}

func TestInspectModelRefusesNonCrossEncoder(t *testing.T) {
	f := getFixture(t)
	info, err := InspectModel(f.model)
	if err != nil || !info.HasTypes || info.NumLabels != 1 || info.Output != "logits" {
		t.Fatalf("InspectModel = %+v, %v", info, err)
	}
	bad := filepath.Join(t.TempDir(), "not-a-model.onnx")
	os.WriteFile(bad, []byte("not protobuf"), 0o644)
	if _, err := InspectModel(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("garbage model: err = %v", err)
	}
}
