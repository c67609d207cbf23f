package checkpoints

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/distill-ml/distill/internal/version"
)

func testCheckpoint(step int) *Checkpoint {
	weights := map[string]Tensor{
		"bert.embeddings.word_embeddings.weight":           {Shape: []int{6, 4}, Data: seq(24, float32(step))},
		"bert.encoder.layer.0.attention.self.query.weight": {Shape: []int{4, 4}, Data: seq(16, -1)},
		"bert.encoder.layer.0.attention.self.query.bias":   {Shape: []int{4}, Data: seq(4, 0.125)},
		"colbert_linear.weight":                            {Shape: []int{2, 4}, Data: seq(8, 3)},
	}
	opt := &OptimizerState{Step: step, ExpAvg: map[string]Tensor{}, ExpAvgSq: map[string]Tensor{}}
	for name, w := range weights {
		opt.ExpAvg[name] = Tensor{Shape: w.Shape, Data: seq(len(w.Data), 0.001)}
		opt.ExpAvgSq[name] = Tensor{Shape: w.Shape, Data: seq(len(w.Data), 1e-6)}
	}
	return &Checkpoint{
		Config: Config{
			Architecture:   "colbert",
			Model:          json.RawMessage(`{"hidden_size":4,"model_type":"bert","num_hidden_layers":1}`),
			Labels:         json.RawMessage(`{"teacher":"cross-encoder/ms-marco-MiniLM-L-6-v2","sha256":"abc"}`),
			DistillVersion: "v0.0.1-test",
			Created:        time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			Seed:           42,
		},
		Weights:   weights,
		Tokenizer: []byte(`{"version":"1.0","model":{"type":"WordPiece"}}`),
		Trainer: TrainerState{Step: step, Epoch: 1, Cursor: 320, RNG: json.RawMessage(`{"pcg":[1,2]}`),
			Metric: &Metric{Name: "nDCG@10", Value: 0.25 + float64(step)/1e4, Step: step}},
		Optimizer: opt,
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	run := t.TempDir()
	ck := testCheckpoint(200)
	dir, err := Save(run, ck)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(run, "step-000200") || ck.Dir != dir {
		t.Errorf("Save returned %s (ck.Dir %s)", dir, ck.Dir)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Weights, ck.Weights) {
		t.Error("weights differ after a round trip")
	}
	if !reflect.DeepEqual(got.Optimizer, ck.Optimizer) {
		t.Error("optimizer state differs after a round trip")
	}
	if !bytes.Equal(got.Tokenizer, ck.Tokenizer) {
		t.Error("tokenizer differs")
	}
	if got.Trainer.Step != 200 || got.Trainer.Cursor != 320 || string(got.Trainer.RNG) != `{"pcg":[1,2]}` || *got.Trainer.Metric != *ck.Trainer.Metric {
		t.Errorf("trainer state = %+v", got.Trainer)
	}
	c := got.Config
	if c.Architecture != "colbert" || c.Seed != 42 || !c.Created.Equal(ck.Config.Created) || c.DistillVersion != "v0.0.1-test" ||
		c.TokenizerSHA256 == "" || c.TokenizerSHA256 != ck.Config.TokenizerSHA256 {
		t.Errorf("config = %+v", c)
	}
	if string(c.Model) != `{"hidden_size":4,"model_type":"bert","num_hidden_layers":1}` {
		t.Errorf("model config = %s", c.Model)
	}
	if string(c.Labels) != string(ck.Config.Labels) {
		t.Errorf("labels = %s", c.Labels)
	}
	// config.json is a Hugging Face config at the top level.
	var top map[string]any
	raw, _ := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err := json.Unmarshal(raw, &top); err != nil || top["model_type"] != "bert" || top["distill"] == nil {
		t.Errorf("config.json = %s (%v)", raw, err)
	}
	// model.safetensors carries format "pt", which transformers requires.
	if _, meta, err := ReadSafetensorsFile(filepath.Join(dir, ModelFile)); err != nil || meta["format"] != "pt" {
		t.Errorf("model metadata = %v, %v", meta, err)
	}
	if latest, ok, err := Latest(run); err != nil || !ok || latest != dir {
		t.Errorf("Latest = %q, %v, %v; want %q", latest, ok, err, dir)
	}
	if data, _ := os.ReadFile(filepath.Join(run, LastFile)); string(data) != "step-000200\n" {
		t.Errorf("last = %q", data)
	}
}

func TestSaveWithoutOptimizerOrTokenizer(t *testing.T) {
	ck := testCheckpoint(7)
	ck.Optimizer, ck.Tokenizer, ck.Config.Model, ck.Config.Labels = nil, nil, nil, nil
	got := saveAndLoad(t, ck)
	if got.Optimizer != nil || got.Tokenizer != nil || got.Config.Model != nil || got.Config.TokenizerSHA256 != "" {
		t.Errorf("loaded %+v", got)
	}
}

func TestSaveRejectsInvalid(t *testing.T) {
	cases := map[string]func(ck *Checkpoint){
		"no architecture": func(ck *Checkpoint) { ck.Config.Architecture = "" },
		"no weights":      func(ck *Checkpoint) { ck.Weights = nil },
		"bad weight":      func(ck *Checkpoint) { ck.Weights["x"] = Tensor{Shape: []int{2}, Data: []float32{1}} },
		"moment shape": func(ck *Checkpoint) {
			ck.Optimizer.ExpAvg["colbert_linear.weight"] = Tensor{Shape: []int{8}, Data: seq(8, 0)}
		},
		"moment of no weight": func(ck *Checkpoint) { ck.Optimizer.ExpAvg["nope"] = Tensor{Shape: []int{1}, Data: []float32{1}} },
		"tokenizer hash":      func(ck *Checkpoint) { ck.Config.TokenizerSHA256 = "00" },
		"model not an object": func(ck *Checkpoint) { ck.Config.Model = json.RawMessage(`[1]`) },
		"model uses distill":  func(ck *Checkpoint) { ck.Config.Model = json.RawMessage(`{"distill":1}`) },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			run := t.TempDir()
			ck := testCheckpoint(1)
			mutate(ck)
			if _, err := Save(run, ck); err == nil {
				t.Fatal("no error")
			}
			if _, ok, _ := Latest(run); ok {
				t.Error("a failed Save left a checkpoint")
			}
			if entries, _ := os.ReadDir(run); len(entries) != 0 {
				t.Errorf("a failed Save left %v", entries)
			}
		})
	}
}

func TestLoadDetectsDamage(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string)
		file   string
		want   string // in the message
		is     error
	}{
		{"flipped byte", func(t *testing.T, dir string) { flipByte(t, filepath.Join(dir, ModelFile), 200) },
			ModelFile, "step-000200/model.safetensors: sha256 mismatch (manifest says ", ErrCorrupt},
		{"truncated", func(t *testing.T, dir string) { truncate(t, filepath.Join(dir, OptimizerFile), 100) },
			OptimizerFile, "step-000200/optimizer.safetensors: truncated (manifest says ", ErrCorrupt},
		{"appended", func(t *testing.T, dir string) { appendTo(t, filepath.Join(dir, ConfigFile), "x") },
			ConfigFile, "step-000200/config.json: larger than recorded", ErrCorrupt},
		{"deleted", func(t *testing.T, dir string) { remove(t, filepath.Join(dir, TokenizerFile)) },
			TokenizerFile, "step-000200/tokenizer.json: missing", fs.ErrNotExist},
		{"no manifest", func(t *testing.T, dir string) { remove(t, filepath.Join(dir, ManifestFile)) },
			ManifestFile, "step-000200/manifest.json: missing", fs.ErrNotExist},
		{"garbage manifest", func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, ManifestFile), "{") },
			ManifestFile, "step-000200/manifest.json: invalid JSON", ErrCorrupt},
		{"escaping manifest path", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ManifestFile), `{"format":"distill-checkpoint/v1","files":[{"path":"../x","size":1,"sha256":"00"}]}`)
		}, ManifestFile, `invalid file path "../x"`, ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, err := Save(t.TempDir(), testCheckpoint(200))
			if err != nil {
				t.Fatal(err)
			}
			c.damage(t, dir)
			_, err = Load(dir)
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != c.file {
				t.Fatalf("Load: err = %v, want a *FileError naming %s", err, c.file)
			}
			if !strings.Contains(err.Error(), "checkpoints: "+c.want) && !strings.Contains(err.Error(), c.want) {
				t.Errorf("message %q does not contain %q", err, c.want)
			}
			if !errors.Is(err, c.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, c.is)
			}
			// Inspect reports rather than fails, except without a manifest.
			s, ierr := Inspect(dir)
			if c.file != ManifestFile && (ierr != nil || s.Verified) {
				t.Errorf("Inspect = verified %v, %v; want an unverified summary", s.Verified, ierr)
			}
		})
	}
	t.Run("message", func(t *testing.T) {
		dir, _ := Save(t.TempDir(), testCheckpoint(200))
		flipByte(t, filepath.Join(dir, ModelFile), 300)
		_, err := Load(dir)
		msg := err.Error()
		// checkpoints: step-000200/model.safetensors: sha256 mismatch (manifest says 0123456789ab…, file has …)
		if !strings.HasPrefix(msg, "checkpoints: step-000200/model.safetensors: sha256 mismatch (manifest says ") ||
			!strings.Contains(msg, "…, file has ") || !strings.HasSuffix(msg, "…)") {
			t.Errorf("message = %q", msg)
		}
	})
}

func TestInterruptedSaveIsIgnoredAndCleaned(t *testing.T) {
	run := t.TempDir()
	first, err := Save(run, testCheckpoint(200))
	if err != nil {
		t.Fatal(err)
	}
	// A crash during the save of step 300: a temp folder with partial files,
	// and last still naming step 200.
	leftover := filepath.Join(run, ".step-000300.tmp-123456")
	if err := os.MkdirAll(leftover, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(leftover, ModelFile), "partial")
	if dir, ok, err := Latest(run); err != nil || !ok || dir != first {
		t.Errorf("Latest = %q, %v, %v; want %q", dir, ok, err, first)
	}
	// Without a last file, Latest scans: temp folders and step folders
	// without a manifest are not checkpoints.
	remove(t, filepath.Join(run, LastFile))
	if err := os.MkdirAll(filepath.Join(run, "step-000999"), 0o755); err != nil {
		t.Fatal(err)
	}
	if dir, ok, err := Latest(run); err != nil || !ok || dir != first {
		t.Errorf("Latest without last = %q, %v, %v; want %q", dir, ok, err, first)
	}
	remove(t, filepath.Join(run, "step-000999"))
	second, err := Save(run, testCheckpoint(300))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("leftover temp folder not cleaned: %v", err)
	}
	if dir, _, _ := Latest(run); dir != second {
		t.Errorf("Latest = %q, want %q", dir, second)
	}
	if _, ok, err := Latest(filepath.Join(run, "nonexistent")); ok || err != nil {
		t.Errorf("Latest of a missing run = %v, %v", ok, err)
	}
}

func TestSaveReplacesSameStep(t *testing.T) {
	run := t.TempDir()
	if _, err := Save(run, testCheckpoint(100)); err != nil {
		t.Fatal(err)
	}
	ck := testCheckpoint(100)
	ck.Trainer.Cursor = 999
	dir, err := Save(run, ck)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil || got.Trainer.Cursor != 999 {
		t.Fatalf("reloaded cursor %v, %v", got, err)
	}
	entries, _ := os.ReadDir(run)
	if len(entries) != 2 { // step-000100 and last
		t.Errorf("run folder holds %v", entries)
	}
}

func TestRotateKeepsBestAndLatest(t *testing.T) {
	run := t.TempDir()
	for _, step := range []int{100, 200, 300, 400, 500} {
		dir, err := Save(run, testCheckpoint(step))
		if err != nil {
			t.Fatal(err)
		}
		if step == 200 {
			if err := MarkBest(run, dir); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A run resumed from step 300 points last at it.
	writeFile(t, filepath.Join(run, LastFile), "step-000300\n")
	removed, err := Rotate(run, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 3 {
		t.Errorf("removed %v, want step-000100, step-000200, step-000400", removed)
	}
	var names []string
	entries, _ := os.ReadDir(run)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"best", "last", "step-000300", "step-000500"}; !reflect.DeepEqual(names, want) {
		t.Errorf("run folder = %v, want %v", names, want)
	}
	best, err := Load(filepath.Join(run, BestDir))
	if err != nil {
		t.Fatalf("best after its step folder was rotated away: %v", err)
	}
	if best.Trainer.Step != 200 {
		t.Errorf("best is step %d, want 200", best.Trainer.Step)
	}
	// A new best replaces the old one.
	if err := MarkBest(run, filepath.Join(run, "step-000500")); err != nil {
		t.Fatal(err)
	}
	if best, err := Load(filepath.Join(run, BestDir)); err != nil || best.Trainer.Step != 500 {
		t.Errorf("best = %v, %v; want step 500", best, err)
	}
	if _, err := Rotate(run, 0); err == nil {
		t.Error("Rotate(keep 0) accepted")
	}
}

func TestMarkBestRefusesCorrupt(t *testing.T) {
	run := t.TempDir()
	dir, _ := Save(run, testCheckpoint(100))
	flipByte(t, filepath.Join(dir, ModelFile), 500)
	if err := MarkBest(run, dir); !errors.Is(err, ErrCorrupt) {
		t.Errorf("MarkBest of a corrupt checkpoint: %v", err)
	}
	if _, err := os.Stat(filepath.Join(run, BestDir)); !errors.Is(err, fs.ErrNotExist) {
		t.Error("best/ created from a corrupt checkpoint")
	}
}

func TestInspectSummary(t *testing.T) {
	dir, err := Save(t.TempDir(), testCheckpoint(200))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Inspect(dir)
	if err != nil {
		t.Fatal(err)
	}
	// 6·4 + 4·4 + 4 + 2·4 = 52 parameters in 4 tensors.
	if !s.Verified || s.Params != 52 || s.Tensors != 4 || !s.HasOptimizer || len(s.Files) != 5 || s.Config.Architecture != "colbert" {
		t.Errorf("summary = %+v", s)
	}
	var buf bytes.Buffer
	if err := s.WriteSummary(&buf); err != nil {
		t.Fatal(err)
	}
	out := strings.Join(strings.Fields(buf.String()), " ") // alignment aside
	for _, want := range []string{"architecture colbert", "step 200 (epoch 1, cursor 320)", "parameters 52 in 4 tensors (F32)",
		"tokenizer sha256 " + s.Config.TokenizerSHA256, `labels {"teacher":`, "model.safetensors 632 B sha256", "verified yes"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	flipByte(t, filepath.Join(dir, ModelFile), 200)
	s, _ = Inspect(dir)
	buf.Reset()
	s.WriteSummary(&buf)
	if out := strings.Join(strings.Fields(buf.String()), " "); !strings.Contains(out, "FAILED: sha256 mismatch") || !strings.Contains(out, "verified NO: 1 of 5 files") {
		t.Errorf("summary of a corrupt checkpoint:\n%s", out)
	}
}

func TestGroupDigitsAndBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 22713216: "22,713,216"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{512: "512 B", 2048: "2.0 KiB", 90 << 20: "90.0 MiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func flipByte(t *testing.T, path string, at int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[at%int64(len(data))] ^= 0x01
	writeFile(t, path, string(data))
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestVersionIsDistillVersion: a checkpoint records the version `distill
// --version` prints, not the module's "(devel)".
func TestVersionIsDistillVersion(t *testing.T) {
	ck := testCheckpoint(1)
	ck.Config.DistillVersion = ""
	got := saveAndLoad(t, ck)
	if got.Config.DistillVersion != version.Version || version.Version == "" || version.Version == "(devel)" {
		t.Errorf("checkpoint version %q, distill --version %q", got.Config.DistillVersion, version.Version)
	}
}

// saveAndLoad saves ck in a new run folder and loads it back.
func saveAndLoad(t *testing.T, ck *Checkpoint) *Checkpoint {
	t.Helper()
	dir, err := Save(t.TempDir(), ck)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
