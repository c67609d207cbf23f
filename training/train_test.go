package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/student"
)

// tinyConfig is a student small enough to train in seconds on two cores:
// one layer of width 32 over the fixture's reduced vocabulary.
func tinyConfig(f *fixture, arch student.Kind, out string) Config {
	c := DefaultConfig()
	c.Arch, c.Labels, c.Queries, c.Corpus, c.Tokenizer, c.Out = arch, f.labels, f.queries, f.corpus, f.tokenizer, out
	c.Layers, c.Hidden, c.Heads, c.FFN, c.MaxPosition, c.Dim = 1, 32, 2, 64, 64, 16
	c.MaxQueryLength, c.MaxDocLength = 12, 48
	c.BatchSize, c.Steps, c.LR, c.Seed = 16, 300, 2e-3, 1
	c.ValFraction, c.EvalEvery, c.SaveEvery, c.LogEvery = 0.25, 50, 100, 10
	c.LambdaQ, c.LambdaD = 1e-3, 1e-3
	return c
}

func train(t *testing.T, c Config, opts Options) *Result {
	t.Helper()
	res, err := Train(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// valRows returns the metrics rows that hold a validation.
func valRows(t *testing.T, out string) []MetricsRow {
	t.Helper()
	rows, err := ReadMetrics(filepath.Join(out, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	var v []MetricsRow
	for _, r := range rows {
		if r.ValLoss != nil {
			v = append(v, r)
		}
	}
	return v
}

// checkLearns trains c and asserts that the held-out Margin-MSE falls and
// the held-out Kendall τ with the teacher rises clearly over the untrained
// student's.
func checkLearns(t *testing.T, c Config, maxLossRatio, minTauGain float64) {
	start := time.Now()
	res := train(t, c, Options{})
	v := valRows(t, c.Out)
	for _, r := range v {
		t.Logf("%s step %3d: val Margin-MSE %.4f, Kendall τ %.3f", c.Arch, r.Step, *r.ValLoss, *r.ValKendallTau)
	}
	first, last := v[0], v[len(v)-1]
	if first.Step != 0 || last.Step != c.Steps {
		t.Fatalf("validations at steps %d…%d, want 0…%d", first.Step, last.Step, c.Steps)
	}
	t.Logf("%s: %d steps in %v; val loss %.4f → %.4f, τ %.3f → %.3f (%d held-out queries)", c.Arch, c.Steps,
		time.Since(start).Round(time.Millisecond), *first.ValLoss, *last.ValLoss, *first.ValKendallTau, *last.ValKendallTau, res.ValQueries)
	if *last.ValLoss > maxLossRatio**first.ValLoss {
		t.Errorf("held-out Margin-MSE %.4f → %.4f, want below %.2f× the untrained student's", *first.ValLoss, *last.ValLoss, maxLossRatio)
	}
	if *last.ValKendallTau < *first.ValKendallTau+minTauGain {
		t.Errorf("held-out Kendall τ %.3f → %.3f, want a gain of at least %.2f", *first.ValKendallTau, *last.ValKendallTau, minTauGain)
	}
	// The final checkpoint scores like the trained model did.
	s, err := ranker.Load(c.Out)
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadData(checkpointConfig(t, s.Checkpoint), s.Encoder)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Validate(s.Model, d.Val, d.ValTriples, d.Queries, d.Docs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.KendallTau-*last.ValKendallTau) > 1e-9 || math.Abs(got.Loss-*last.ValLoss) > 1e-6 {
		t.Errorf("reloaded checkpoint: τ %.6f, loss %.6f; at the end of training τ %.6f, loss %.6f", got.KendallTau, got.Loss, *last.ValKendallTau, *last.ValLoss)
	}
}

func TestColBERTLearnsFromTeacher(t *testing.T) {
	f := getFixture(t)
	checkLearns(t, tinyConfig(f, student.KindColBERT, filepath.Join(t.TempDir(), "run")), 0.7, 0.2)
}

func TestSPLADELearnsFromTeacher(t *testing.T) {
	f := getFixture(t)
	c := tinyConfig(f, student.KindSPLADE, filepath.Join(t.TempDir(), "run"))
	c.BatchSize, c.EvalEvery = 8, 100
	checkLearns(t, c, 0.2, 0.2)
	rows, err := ReadMetrics(filepath.Join(c.Out, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if last.LossFLOPS == nil || last.AvgNNZD == nil || last.Sparsity == nil || *last.AvgNNZD <= 0 {
		t.Fatalf("SPLADE metrics row without FLOPS or sparsity: %+v", last)
	}
	t.Logf("splade: FLOPS term %.4g, %.1f non-zero query and %.1f document weights (sparsity %.3f)", *last.LossFLOPS, *last.AvgNNZQ, *last.AvgNNZD, *last.Sparsity)
}

// weightsEqual compares two checkpoints' weights and moments bit for bit.
// weightsSame reports whether two checkpoints hold bit-identical weights.
func weightsSame(t *testing.T, a, b string) bool {
	t.Helper()
	ca, cb := loadTwo(t, a, b)
	for name, tx := range ca.Weights {
		for i, v := range tx.Data {
			if math.Float32bits(v) != math.Float32bits(cb.Weights[name].Data[i]) {
				return false
			}
		}
	}
	return true
}

// loadTwo loads the checkpoints a and b.
func loadTwo(t *testing.T, a, b string) (*checkpoints.Checkpoint, *checkpoints.Checkpoint) {
	t.Helper()
	ca, err := checkpoints.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := checkpoints.Load(b)
	if err != nil {
		t.Fatal(err)
	}
	return ca, cb
}

func weightsEqual(t *testing.T, a, b string) {
	t.Helper()
	ca, cb := loadTwo(t, a, b)
	cmp := func(what string, x, y map[string]checkpoints.Tensor) {
		if len(x) != len(y) {
			t.Fatalf("%s: %d vs %d tensors", what, len(x), len(y))
		}
		for name, tx := range x {
			ty := y[name]
			for i := range tx.Data {
				if math.Float32bits(tx.Data[i]) != math.Float32bits(ty.Data[i]) {
					t.Fatalf("%s %s[%d]: %v vs %v", what, name, i, tx.Data[i], ty.Data[i])
				}
			}
		}
	}
	cmp("weights", ca.Weights, cb.Weights)
	cmp("exp_avg", ca.Optimizer.ExpAvg, cb.Optimizer.ExpAvg)
	cmp("exp_avg_sq", ca.Optimizer.ExpAvgSq, cb.Optimizer.ExpAvgSq)
	if ca.Optimizer.Step != cb.Optimizer.Step || ca.Trainer.Step != cb.Trainer.Step || ca.Trainer.Cursor != cb.Trainer.Cursor {
		t.Fatalf("states differ: %+v %+v", ca.Trainer, cb.Trainer)
	}
}

func TestDeterministicAndResumeBitIdentical(t *testing.T) {
	f := getFixture(t)
	for _, tc := range []struct {
		arch    student.Kind
		dropout float64
	}{{student.KindColBERT, 0}, {student.KindSPLADE, 0}, {student.KindColBERT, 0.1}} {
		arch := tc.arch
		t.Run(fmt.Sprintf("%s/dropout=%g", arch, tc.dropout), func(t *testing.T) {
			dir := t.TempDir()
			cfg := func(name string) Config {
				c := tinyConfig(f, arch, filepath.Join(dir, name))
				c.Steps, c.BatchSize, c.SaveEvery, c.EvalEvery, c.WarmupSteps, c.ValFraction = 24, 4, 8, 8, 5, 0.05
				c.Dropout = tc.dropout
				return c
			}
			a, b, r := cfg("a"), cfg("b"), cfg("resumed")
			train(t, a, Options{})
			train(t, b, Options{})
			weightsEqual(t, filepath.Join(a.Out, "step-000024"), filepath.Join(b.Out, "step-000024"))

			// Stop at step 12 (between checkpoints 8 and 16, so the stop writes its own), resume.
			res := train(t, r, Options{StopAt: 12})
			if res.Step != 12 || !strings.HasSuffix(res.Checkpoint, "step-000012") {
				t.Fatalf("stopped at step %d, checkpoint %s", res.Step, res.Checkpoint)
			}
			if _, err := Train(context.Background(), r, Options{}); !errors.Is(err, ErrRunExists) {
				t.Fatalf("a second run into the same folder without Resume: %v, want ErrRunExists", err)
			}
			res = train(t, r, Options{Resume: true})
			if res.Resumed != 12 || res.Step != 24 {
				t.Fatalf("resumed from %d to %d, want 12 → 24", res.Resumed, res.Step)
			}
			weightsEqual(t, filepath.Join(a.Out, "step-000024"), filepath.Join(r.Out, "step-000024"))
			if tc.dropout > 0 {
				// Dropout is on: the same run without it ends elsewhere.
				plain := cfg("plain")
				plain.Dropout = 0
				train(t, plain, Options{})
				if weightsSame(t, filepath.Join(a.Out, "step-000024"), filepath.Join(plain.Out, "step-000024")) {
					t.Error("training with dropout 0.1 ended with the weights of training without it")
				}
			}
			// The metrics log of the resumed run equals the uninterrupted one, step for step.
			ra, _ := ReadMetrics(filepath.Join(a.Out, MetricsFile))
			rr, _ := ReadMetrics(filepath.Join(r.Out, MetricsFile))
			if len(ra) != len(rr) {
				t.Fatalf("metrics.jsonl: %d rows uninterrupted, %d resumed", len(ra), len(rr))
			}
			for i := range ra {
				ra[i].ExamplesPerS, rr[i].ExamplesPerS = nil, nil // timing
				ja, _ := json.Marshal(ra[i])
				jr, _ := json.Marshal(rr[i])
				if string(ja) != string(jr) {
					t.Fatalf("metrics row %d:\nuninterrupted %s\nresumed       %s", i, ja, jr)
				}
			}
		})
	}
}

// checkpointConfig returns the training Config a checkpoint records in its
// config.json.
func checkpointConfig(t *testing.T, ck *checkpoints.Checkpoint) Config {
	t.Helper()
	var mc modelConfig
	if err := json.Unmarshal(ck.Config.Model, &mc); err != nil {
		t.Fatalf("%s: config.json: %v", ck.Dir, err)
	}
	return mc.Training
}

// TestResumeComparesQrelsByContent checks that a run resumes with its
// judgements file moved (the checkpoint records the file's sha256, not only
// its path), and refuses judgements whose content changed.
func TestResumeComparesQrelsByContent(t *testing.T) {
	f := getFixture(t)
	raw, err := os.ReadFile(f.qrels)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first, moved, changed := filepath.Join(dir, "qrels.tsv"), filepath.Join(dir, "moved", "qrels.tsv"), filepath.Join(dir, "changed.tsv")
	if err := os.WriteFile(first, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	c := tinyConfig(f, student.KindColBERT, filepath.Join(dir, "run"))
	c.Qrels, c.Steps, c.BatchSize, c.SaveEvery, c.EvalEvery = first, 8, 4, 4, 4
	train(t, c, Options{StopAt: 4})

	if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(first, moved); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")
	if err := os.WriteFile(changed, []byte(strings.Join(lines[:len(lines)/2], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	c.Qrels = changed
	if _, err := Train(context.Background(), c, Options{Resume: true}); err == nil || !strings.Contains(err.Error(), "judgements differ") {
		t.Fatalf("resume with half the judgements: %v, want the judgements refused", err)
	}
	c.Qrels = moved
	if res := train(t, c, Options{Resume: true}); res.Resumed != 4 || res.Step != 8 {
		t.Fatalf("resume with the qrels file moved: resumed from %d to %d, want 4 → 8", res.Resumed, res.Step)
	}
}
