package training

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

func TestStepsZeroWritesUntrainedCheckpoint(t *testing.T) {
	f := getFixture(t)
	c := tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
	c.Steps = 0
	res := train(t, c, Options{})
	if !strings.HasSuffix(res.Checkpoint, "step-000000") {
		t.Fatalf("checkpoint %q, want step-000000", res.Checkpoint)
	}
	s, err := ranker.Load(c.Out)
	if err != nil {
		t.Fatal(err)
	}
	// The weights are the seeded initialisation.
	tok, _ := tokenizer.Load(f.tokenizer)
	sc, _ := studentConfig(c, tok)
	fresh, err := student.New(G.NewGraph(), sc, c.Seed)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range fresh.Params() {
		got := s.Model.Params()[i].Node.Value().Data().([]float32)
		for j, v := range p.Node.Value().Data().([]float32) {
			if got[j] != v {
				t.Fatalf("%s[%d] = %v, the initialisation has %v", p.Name, j, got[j], v)
			}
		}
	}
	// The tokenizer.json it carries is the training one without fixed
	// padding and truncation, and config.json records that file's sha256.
	raw, _ := os.ReadFile(f.tokenizer)
	if want := sha256Hex(portableTokenizer(raw)); s.Checkpoint.Config.TokenizerSHA256 != want || len(s.Checkpoint.Config.Labels) == 0 {
		t.Errorf("config.json: tokenizer sha256 %q (want %q), labels provenance %s", s.Checkpoint.Config.TokenizerSHA256, want, s.Checkpoint.Config.Labels)
	}
	// It scores and reranks.
	scores, err := s.Score("what is a cat", "cats are small felines.", "the stock market fell.")
	if err != nil || len(scores) != 2 || math.IsNaN(float64(scores[0])) || scores[0] == scores[1] {
		t.Fatalf("Score: %v, %v", scores, err)
	}
	cands, err := datasets.ReadRun(f.candidates)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := datasets.ReadTexts(f.queries, f.corpus, datasets.TextWant{})
	if err != nil {
		t.Fatal(err)
	}
	rr, err := s.Rerank(context.Background(), texts, cands, ranker.RerankOptions{Depth: 5})
	if err != nil {
		t.Fatal(err)
	}
	if rr.Queries != len(cands) || rr.Pairs != 5*len(cands) {
		t.Fatalf("reranked %d pairs of %d queries, want %d of %d", rr.Pairs, rr.Queries, 5*len(cands), len(cands))
	}
	for q, es := range rr.Run {
		want, err := s.Score(texts.Queries[q], texts.Docs[es[0].DocID])
		if err != nil {
			t.Fatal(err)
		}
		// Batched and single scoring agree to float32 round-off, not bit for bit: OpenBLAS
		// picks different kernels for the edge tiles of products with another row count.
		if d := math.Abs(es[0].Score - float64(want[0])); es[0].Rank != 1 || d > 1e-5*math.Abs(float64(want[0])) || es[0].Score < es[len(es)-1].Score {
			t.Fatalf("query %s: first entry %+v (score alone %v), last %+v", q, es[0], want[0], es[len(es)-1])
		}
	}
	if _, err := os.Stat(filepath.Join(c.Out, "best", checkpoints.ManifestFile)); err != nil {
		t.Errorf("best/ of a --steps 0 run: %v", err)
	}
}

func TestNonFiniteLossStopsAndKeepsCheckpoint(t *testing.T) {
	f := getFixture(t)
	c := tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
	c.Steps, c.SaveEvery, c.WarmupSteps, c.LR, c.ClipNorm, c.EvalEvery = 50, 1, 0, 1e30, 0, 0
	_, err := Train(context.Background(), c, Options{})
	var nf *NonFiniteError
	if !errors.As(err, &nf) {
		t.Fatalf("lr 1e30: %v, want a NonFiniteError", err)
	}
	t.Logf("error: %v", err)
	if nf.Step < 2 || !strings.Contains(err.Error(), "step ") || !strings.Contains(err.Error(), nf.Term) {
		t.Fatalf("error %q at step %d", err, nf.Step)
	}
	dir, ok, lerr := checkpoints.Latest(c.Out)
	if lerr != nil || !ok || filepath.Base(dir) != checkpoints.StepDir(nf.Step-1) || nf.Last != dir {
		t.Fatalf("latest checkpoint %s (%v, %v), want %s", dir, ok, lerr, checkpoints.StepDir(nf.Step-1))
	}
	ck, err := checkpoints.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range ck.Weights {
		for _, v := range w.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("checkpoint %s holds a non-finite %s", dir, name)
			}
		}
	}
}

func TestConfigFileAndFlagOverride(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cfg.yaml")
	os.WriteFile(path, []byte("arch: splade\nsteps: 77\nlr: 0.005\nmax_query_length: 20\nlambda_q: 0.25\n"), 0o644)
	var bound Config = DefaultConfig()
	fs := pflag.NewFlagSet("train", pflag.ContinueOnError)
	RegisterFlags(fs, &bound)
	if err := fs.Parse([]string{"--steps", "9", "--hidden", "64", "--max-doc-length", "100"}); err != nil {
		t.Fatal(err)
	}
	c, err := ResolveConfig(path, fs, &bound)
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultConfig()
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"arch (file)", c.Arch, student.KindSPLADE}, {"steps (flag over file)", c.Steps, 9}, {"lr (file)", c.LR, 0.005},
		{"max_query_length (file)", c.MaxQueryLength, 20}, {"lambda_q (file)", c.LambdaQ, 0.25},
		{"hidden (flag)", c.Hidden, 64}, {"max_doc_length (flag)", c.MaxDocLength, 100},
		{"batch_size (default)", c.BatchSize, def.BatchSize}, {"seed (default)", c.Seed, def.Seed},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	// Every field is a flag.
	n := 0
	fs.VisitAll(func(*pflag.Flag) { n++ })
	if fs.Lookup("max-query-length") == nil || fs.Lookup("init-from") == nil || fs.Lookup("lambda-d") == nil || n < 35 {
		t.Errorf("%d flags registered", n)
	}
	// An unknown key is an error; the written config reads back equal.
	os.WriteFile(path, []byte("stepz: 3\n"), 0o644)
	if _, err := ResolveConfig(path, fs, &bound); !errors.Is(err, ErrConfig) {
		t.Errorf("unknown key: %v", err)
	}
	if err := WriteConfigFile(path, c); err != nil {
		t.Fatal(err)
	}
	back, err := ReadConfigFile(path, Config{})
	if err != nil || back != c {
		t.Errorf("config.yaml round trip: %+v, %v", back, err)
	}
	c.Labels, c.Queries, c.Corpus, c.Tokenizer, c.Out = "l", "q", "c", "t", "o"
	if err := c.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	c.Heads = 5
	if err := c.Validate(); !errors.Is(err, ErrConfig) {
		t.Errorf("hidden 64 with 5 heads: %v", err)
	}
}

func TestAdamWStep(t *testing.T) {
	// One update by hand: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25:
	// θ = 1·(1 − 0.1·0.01) − 0.1·0.5/(0.5 + 1e-8) = 0.899.
	o := NewAdamW([]string{"w", "b"}, []int{1, 1}, []bool{true, false}, 0.9, 0.999, 1e-8, 0.01)
	p := [][]float32{{1}, {1}}
	o.Update(p, [][]float32{{0.5}, {0.5}}, 0.1, 1)
	if math.Abs(float64(p[0][0])-0.899) > 1e-6 || math.Abs(float64(p[1][0])-0.9) > 1e-6 {
		t.Fatalf("after one step: %v, want [0.899] [0.9]", p)
	}
	// Second step, g = −1: m = 0.045 − 0.1 = −0.055, v = 0.00024975 + 0.001.
	o.Update(p, [][]float32{{-1}, {-1}}, 0.1, 1)
	m, v := -0.055/(1-0.81), (0.00024975+0.001)/(1-0.998001)
	want := 0.9 - 0.1*m/(math.Sqrt(v)+1e-8) // b is not decayed
	if math.Abs(float64(p[1][0])-want) > 1e-5 {
		t.Fatalf("after two steps: %v, want %v", p[1][0], want)
	}
	st := o.State(map[string][]int{"w": {1}, "b": {1}})
	o2 := NewAdamW([]string{"w", "b"}, []int{1, 1}, []bool{true, false}, 0.9, 0.999, 1e-8, 0.01)
	if err := o2.Restore(st); err != nil || o2.Step != 2 || o2.m[1][0] != o.m[1][0] {
		t.Fatalf("restore: %v, step %d", err, o2.Step)
	}
}

func TestScheduleAndClip(t *testing.T) {
	for _, tc := range []struct {
		step int
		want float64
	}{{1, 0.25}, {4, 1}, {5, 1}, {8, 4.0 / 7}, {10, 2.0 / 7}, {11, 1.0 / 7}} {
		if got := LinearSchedule(1, 4, 11, tc.step); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("LinearSchedule(step %d) = %v, want %v", tc.step, got, tc.want)
		}
	}
	for _, tc := range []struct {
		step           int
		cosine, consta float64
	}{{1, 0.25, 0.25}, {4, 1, 1}, {5, 1, 1}, {6, 0.5 * (1 + math.Cos(math.Pi/7)), 1},
		{8, 0.5 * (1 + math.Cos(3*math.Pi/7)), 1}, {11, 0.5 * (1 + math.Cos(6*math.Pi/7)), 1}} {
		if got := CosineSchedule(1, 4, 11, tc.step); math.Abs(got-tc.cosine) > 1e-12 {
			t.Errorf("CosineSchedule(step %d) = %v, want %v", tc.step, got, tc.cosine)
		}
		if got := ConstantSchedule(1, 4, 11, tc.step); math.Abs(got-tc.consta) > 1e-12 {
			t.Errorf("ConstantSchedule(step %d) = %v, want %v", tc.step, got, tc.consta)
		}
	}
	c := DefaultConfig()
	c.LR, c.WarmupSteps, c.Steps = 2, 0, 3
	for sched, want := range map[string]float64{"": 2.0 / 3, "linear": 2.0 / 3, "cosine": 1 + math.Cos(2*math.Pi/3), "constant": 2} {
		c.LRSchedule = sched
		if got := c.lrAt(3); math.Abs(got-want) > 1e-12 {
			t.Errorf("lr_schedule %q: lr at the last step = %v, want %v", sched, got, want)
		}
	}
	if n := GlobalNorm([][]float32{{3}, {4}}); n != 5 {
		t.Errorf("norm of (3, 4) = %v, want 5", n)
	}
	for _, tc := range []struct{ norm, max, want float64 }{{5, 1, 1 / (5 + 1e-6)}, {5, 0, 1}, {0.5, 1, 1}, {1, 1, 1}, {math.NaN(), 1, 1}} {
		if got := ClipScale(tc.norm, tc.max); got != float32(tc.want) {
			t.Errorf("ClipScale(%v, %v) = %v, want %v", tc.norm, tc.max, got, float32(tc.want))
		}
	}
}

func TestInitFromTeacherONNX(t *testing.T) {
	f := getFixture(t)
	tok, err := tokenizer.Load(f.tokenizer)
	if err != nil {
		t.Fatal(err)
	}
	c := tinyConfig(f, student.KindColBERT, t.TempDir())
	c.MaxPosition = 512 // as the teacher's
	sc, _ := studentConfig(c, tok)
	m, err := student.New(G.NewGraph(), sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := InitFrom(m, f.teacherModel)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d, missing %v, skipped %v, unused %d", len(rep.Loaded), rep.Missing, rep.Skipped, len(rep.Unused))
	// The teacher is 2 layers of width 32 over the full vocabulary: layer 0
	// and the position/type embeddings load, the word embeddings (another
	// vocabulary) are skipped, layer 1 and the pooler/classifier are unused.
	if len(rep.Skipped) != 1 || !strings.HasPrefix(rep.Skipped[0], "bert.embeddings.word_embeddings.weight") {
		t.Errorf("skipped %v", rep.Skipped)
	}
	want := bertonnx.RandomWeights(bertonnx.Tiny(), 7)
	for _, p := range m.Params() {
		w, ok := want[p.Name]
		loaded := ok && p.Name != "bert.embeddings.word_embeddings.weight"
		got := p.Node.Value().Data().([]float32)
		if loaded && (got[0] != w.Data[0] || got[len(got)-1] != w.Data[len(w.Data)-1]) {
			t.Errorf("%s not loaded from the teacher", p.Name)
		}
		if !loaded && p.Name != "linear.weight" && p.Name != "bert.embeddings.word_embeddings.weight" {
			t.Errorf("%s has no teacher tensor", p.Name)
		}
	}
	if len(rep.Missing) != 2 { // word embeddings (skipped) and ColBERT's linear.weight
		t.Errorf("missing %v", rep.Missing)
	}
}

func TestOtherLosses(t *testing.T) {
	f := getFixture(t)
	for _, loss := range []string{"kldiv", "pairwise-ce"} {
		t.Run(loss, func(t *testing.T) {
			c := tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
			c.Loss, c.Qrels, c.Steps, c.BatchSize, c.KLNegatives, c.EvalEvery, c.LogEvery = loss, f.qrels, 30, 4, 3, 30, 5
			res := train(t, c, Options{})
			if math.IsNaN(res.Val.MRR10) || res.Val.MRR10 <= 0 || res.Best == nil || res.Best.Name != "MRR@10" {
				t.Fatalf("%s with qrels: validation %+v, best %+v", loss, res.Val, res.Best)
			}
			rows, _ := ReadMetrics(filepath.Join(c.Out, MetricsFile))
			first, last := rows[1], rows[len(rows)-1]
			l0, l1 := first.LossPairwise, last.LossPairwise
			if loss == "kldiv" {
				l0, l1 = first.LossKL, last.LossKL
			}
			if l0 == nil || l1 == nil || *last.ValMRR10 != res.Val.MRR10 {
				t.Fatalf("metrics rows %+v … %+v", first, last)
			}
			t.Logf("%s: loss %.4f (step %d) → %.4f (step %d), val MRR@10 %.4f, τ %.3f", loss, *l0, first.Step, *l1, last.Step, res.Val.MRR10, res.Val.KendallTau)
		})
	}
}

// TestBestMetric checks that best/ is the validation step that --best-metric
// ranks first: the most agreement with the teacher, the lowest validation
// loss, the highest MRR@10 (earliest on ties), and that bad choices are
// refused.
func TestBestMetric(t *testing.T) {
	f := getFixture(t)
	for _, tc := range []struct {
		metric, name string
		qrels        bool
		pick         func(r MetricsRow) float64 // higher is better
	}{
		{"kendall_tau", "val_kendall_tau", true, func(r MetricsRow) float64 { return *r.ValKendallTau }},
		{"loss", "val_loss", true, func(r MetricsRow) float64 { return -*r.ValLoss }},
		{"auto", "MRR@10", true, func(r MetricsRow) float64 { return *r.ValMRR10 }},
		{"auto", "val_loss", false, func(r MetricsRow) float64 { return -*r.ValLoss }},
	} {
		t.Run(fmt.Sprintf("%s/qrels=%v", tc.metric, tc.qrels), func(t *testing.T) {
			c := tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
			c.Steps, c.EvalEvery, c.SaveEvery, c.KeepLast, c.BestMetric = 120, 20, 1000, 10, tc.metric
			if tc.qrels {
				c.Qrels = f.qrels
			}
			train(t, c, Options{})
			want, best := -1, math.Inf(-1)
			for _, r := range valRows(t, c.Out) {
				if v := tc.pick(r); v > best {
					want, best = r.Step, v
				}
			}
			ck, err := checkpoints.Load(filepath.Join(c.Out, "best"))
			if err != nil {
				t.Fatal(err)
			}
			m := ck.Trainer.Metric
			t.Logf("best/ is step %d by %s (%.4f)", ck.Trainer.Step, tc.name, best)
			if ck.Trainer.Step != want || m == nil || m.Name != tc.name || m.Step != want {
				t.Errorf("best/ is step %d with metric %+v, want step %d by %s", ck.Trainer.Step, m, want, tc.name)
			}
		})
	}
	c := tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
	for metric, want := range map[string]string{"mrr10": "needs qrels", "ndcg": `best_metric "ndcg"`} {
		c.BestMetric = metric
		if err := c.Validate(); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("best_metric %q: %v, want an ErrConfig saying %q", metric, err, want)
		}
	}
}

// TestBestConsidersStepZero: the untrained model is validated and is the
// first candidate for best/ (Hugging Face Trainer's eval_on_start); a run
// that never beats it keeps it as best/ and says so.
func TestBestConsidersStepZero(t *testing.T) {
	f := getFixture(t)
	c := tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
	// A learning rate of 1e-30 leaves every float32 weight as it was: every
	// validation ties with step 0's, and a tie does not replace best/.
	c.Steps, c.EvalEvery, c.SaveEvery, c.LR, c.Qrels = 20, 10, 1000, 1e-30, f.qrels
	core, logs := observer.New(zap.InfoLevel)
	res := train(t, c, Options{Log: zap.New(core)})
	ck, err := checkpoints.Load(filepath.Join(c.Out, "best"))
	if err != nil {
		t.Fatal(err)
	}
	if ck.Trainer.Step != 0 || res.Best == nil || res.Best.Step != 0 {
		t.Fatalf("best/ is step %d (result's best %+v), want the untrained step 0", ck.Trainer.Step, res.Best)
	}
	if n := logs.FilterMessageSnippet("best/ is the untrained checkpoint").Len(); n != 1 {
		t.Errorf("%d warnings that best/ is untrained, want 1", n)
	}
	// A run that learns moves best/ past step 0 and does not warn.
	c = tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run"))
	c.Steps, c.EvalEvery, c.SaveEvery, c.BestMetric = 40, 20, 1000, "loss"
	core, logs = observer.New(zap.InfoLevel)
	res = train(t, c, Options{Log: zap.New(core)})
	if res.Best == nil || res.Best.Step == 0 || logs.FilterMessageSnippet("untrained").Len() != 0 {
		t.Errorf("a learning run: best %+v, %d warnings", res.Best, logs.FilterMessageSnippet("untrained").Len())
	}
}
