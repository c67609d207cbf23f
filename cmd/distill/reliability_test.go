package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/labels"
)

// labelFixture writes 6 queries, 12 documents (one of 700 words, longer
// than the model's 512 positions) and a run of 4 candidates per query.
func labelFixture(t *testing.T, dir string) []string {
	t.Helper()
	var q, c, r strings.Builder
	words := strings.Fields("wing lift drag boundary layer flow supersonic pressure heat transfer shock wave")
	for i := range 12 {
		text := strings.Join(words[i%len(words):], " ") + fmt.Sprintf(" document %d", i)
		if i == 3 {
			text = strings.Repeat("boundary layer flow ", 240)
		}
		fmt.Fprintf(&c, "d%d\t%s\n", i, text)
	}
	for i := range 6 {
		fmt.Fprintf(&q, "q%d\t%s %s\n", i, words[i], words[i+3])
		for k := range 4 {
			fmt.Fprintf(&r, "q%d Q0 d%d %d %d.0 bm25\n", i, (i+3*k)%12, k+1, 10-k)
		}
	}
	for name, s := range map[string]string{"queries.tsv": q.String(), "corpus.tsv": c.String(), "cands.run": r.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	model := filepath.Join(dir, "model.onnx")
	if err := bertonnx.WriteCrossEncoder(model, bertonnx.Tiny(), bertonnx.RandomWeights(bertonnx.Tiny(), 5), bertonnx.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return []string{"--model", model, "--tokenizer", tokPath, "--queries", filepath.Join(dir, "queries.tsv"),
		"--corpus", filepath.Join(dir, "corpus.tsv"), "--candidates", filepath.Join(dir, "cands.run"), "--threads", "1", "--chunk-pairs", "8"}
}

// TestLabelJobRecoversFromFailureAndDamage (issue 10, case 8): a job that
// failed before finishing a chunk (a --max-length beyond the model's
// positions) does not block the corrected command; a complete job with a
// damaged part names it and says how to repair, and 'labels verify --repair'
// relabels just that chunk, back to the same labels.
func TestLabelJobRecoversFromFailureAndDamage(t *testing.T) {
	dir := t.TempDir()
	common := labelFixture(t, dir)
	out := filepath.Join(dir, "labels")
	label := func(extra ...string) (int, string, string) {
		return distill(t, append(append([]string{"teacher", "label", "--out", out}, common...), extra...)...)
	}
	if code, _, errs := label("--max-length", "1024"); code != 1 {
		t.Fatalf("--max-length 1024 on a 512-position model: exit %d: %s", code, errs)
	}
	if code, stdout, errs := label("--max-length", "64"); code != 0 || !strings.Contains(stdout, "labelled 24 pairs") {
		t.Fatalf("the corrected command: exit %d: %s%s", code, stdout, errs)
	}
	want := mustRun(t, "labels", "export", out, "--format", "tsv")
	mustRun(t, "labels", "verify", out)

	part := filepath.Join(out, "part-00001.arrow")
	data, err := os.ReadFile(part)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x10
	if err := os.WriteFile(part, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := label("--max-length", "64")
	if code != 1 || !strings.Contains(errs, "part-00001.arrow") || !strings.Contains(errs, "--repair") {
		t.Fatalf("a complete job with a damaged part: exit %d: %s", code, errs)
	}
	code, stdout, _ := distill(t, "labels", "verify", out)
	if code != 1 || !strings.Contains(stdout, "DAMAGED  part-00001.arrow") || strings.Contains(stdout, "DAMAGED  part-00000") {
		t.Fatalf("labels verify: exit %d:\n%s", code, stdout)
	}
	stdout = mustRun(t, "labels", "verify", "--repair", "--threads", "1", out)
	if !strings.Contains(stdout, "relabelled part-00001.arrow") || !strings.Contains(stdout, "(8 pairs scored)") {
		t.Errorf("repair output:\n%s", stdout)
	}
	if got := mustRun(t, "labels", "export", out, "--format", "tsv"); got != want {
		t.Errorf("repaired labels differ from the original:\n%s\nwant\n%s", got, want)
	}
}

// TestForeignFoldersRefused (issue 10, case 6): teacher label and student
// train refuse an --out folder that holds files distill did not write (or
// another run's), unless --force.
func TestForeignFoldersRefused(t *testing.T) {
	dir := t.TempDir()
	common := labelFixture(t, dir)
	out := filepath.Join(dir, "mine")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(notes, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"teacher", "label", "--out", out, "--max-length", "64"}, common...)
	code, _, errs := distill(t, args...)
	if code != 1 || !strings.Contains(errs, "notes.txt") || !strings.Contains(errs, "--force") {
		t.Fatalf("labelling into a foreign folder: exit %d: %s", code, errs)
	}
	mustRun(t, append(args, "--force")...)
	if b, _ := os.ReadFile(notes); string(b) != "keep me" {
		t.Error("--force touched a file that is not distill's")
	}
	if _, _, err := labels.ReadDir(out); err != nil {
		t.Fatal(err)
	}

	run := filepath.Join(dir, "run")
	train := []string{"student", "train", "--labels", out, "--queries", filepath.Join(dir, "queries.tsv"), "--corpus", filepath.Join(dir, "corpus.tsv"),
		"--tokenizer", tokPath, "--out", run, "--steps", "0", "--layers", "1", "--hidden", "16", "--heads", "2", "--ffn", "32", "--val-fraction", "0"}
	if err := os.MkdirAll(run, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"config.yaml": "arch: splade\n", "metrics.jsonl": `{"step":0}` + "\n"} {
		if err := os.WriteFile(filepath.Join(run, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs = distill(t, train...)
	if code != 2 || !strings.Contains(errs, "config.yaml") || !strings.Contains(errs, "--force") {
		t.Fatalf("training into another run's folder: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(run, "config.yaml")); string(b) != "arch: splade\n" {
		t.Error("the refused run replaced config.yaml")
	}
	mustRun(t, append(train, "--force")...)
	// The folder now holds a checkpoint: a new run is refused, naming the
	// flag that continues it.
	if code, _, errs := distill(t, train...); code != 2 || !strings.Contains(errs, "checkpoints") || !strings.Contains(errs, "--resume") {
		t.Fatalf("training again into a run folder with checkpoints: exit %d: %s", code, errs)
	}
	// A run whose loss becomes non-finite stops (exit 1), naming the flag
	// that resolves it most often.
	nan := append(slices.Clone(train[:10]), "--out", filepath.Join(dir, "nan"), "--steps", "50", "--save-every", "1",
		"--layers", "1", "--hidden", "16", "--heads", "2", "--ffn", "32", "--val-fraction", "0",
		"--lr", "1e30", "--warmup-steps", "0", "--clip-norm", "0", "--eval-every", "0")
	if code, _, errs := distill(t, nan...); code != 1 || !strings.Contains(errs, "is NaN") && !strings.Contains(errs, "Inf") || !strings.Contains(errs, "--lr") {
		t.Fatalf("training with --lr 1e30: exit %d: %s", code, errs)
	}

	// Case 9: checkpoints inspect exits 1 when it reports a problem, here a
	// negative step in a trainer_state.json whose manifest entry matches.
	ck := filepath.Join(run, "step-000000")
	mustRun(t, "checkpoints", "inspect", ck)
	state := []byte(`{"step":-40,"epoch":0,"cursor":0}`)
	os.WriteFile(filepath.Join(ck, "trainer_state.json"), state, 0o644)
	var m map[string]any
	mdata, _ := os.ReadFile(filepath.Join(ck, "manifest.json"))
	json.Unmarshal(mdata, &m)
	sum := sha256.Sum256(state)
	for _, f := range m["files"].([]any) {
		if e := f.(map[string]any); e["path"] == "trainer_state.json" {
			e["size"], e["sha256"] = len(state), hex.EncodeToString(sum[:])
		}
	}
	mdata, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(ck, "manifest.json"), mdata, 0o644)
	code, stdout, errs := distill(t, "checkpoints", "inspect", ck)
	if code != 1 || !strings.Contains(stdout, "step -40 is negative") || !strings.Contains(errs, "step -40") {
		t.Errorf("inspecting a checkpoint with a negative step: exit %d\n%s%s", code, stdout, errs)
	}
}

// TestNumbersAndTextsValidated (issue 10, case 9): out-of-range numeric
// flags are usage errors (exit 2); empty texts and an empty corpus are
// errors naming them; an inspect command that reports a problem exits 1.
func TestNumbersAndTextsValidated(t *testing.T) {
	dir := t.TempDir()
	common := labelFixture(t, dir)
	q, c, r := filepath.Join(dir, "queries.tsv"), filepath.Join(dir, "corpus.tsv"), filepath.Join(dir, "cands.run")
	for _, args := range [][]string{
		append([]string{"teacher", "label", "--out", filepath.Join(dir, "l1")}, replaceFlag(common, "--chunk-pairs", "0")...),
		append([]string{"teacher", "label", "--out", filepath.Join(dir, "l2"), "--depth", "-1"}, common...),
		append([]string{"teacher", "rerank", "--out", filepath.Join(dir, "x.run"), "--depth", "-1", "--run", r}, common[:8]...),
		{"bm25", "--queries", q, "--corpus", c, "--out", filepath.Join(dir, "b.run"), "--depth", "-1"},
		{"labels", "inspect", dir, "--bins", "0"},
		{"labels", "export", dir, "--negatives", "-2"},
		{"student", "train", "--labels", dir, "--queries", q, "--corpus", c, "--tokenizer", tokPath, "--out", filepath.Join(dir, "r"), "--eval-every", "-1"},
		{"student", "train", "--labels", dir, "--queries", q, "--corpus", c, "--tokenizer", tokPath, "--out", filepath.Join(dir, "r"), "--steps", "2.5"},
	} {
		if code, _, errs := distill(t, args...); code != 2 {
			t.Errorf("distill %s: exit %d, want 2: %s", strings.Join(args[:2], " "), code, errs)
		}
	}
	cfg := filepath.Join(dir, "steps.yaml")
	os.WriteFile(cfg, []byte("steps: 2.5\n"), 0o644)
	if code, _, errs := distill(t, "student", "train", "--config", cfg, "--labels", dir, "--queries", q, "--corpus", c, "--tokenizer", tokPath,
		"--out", filepath.Join(dir, "r")); code != 2 || !strings.Contains(errs, "is not an integer") {
		t.Errorf("steps: 2.5 in a config file: exit %d: %s", code, errs)
	}

	// Empty texts and an empty corpus.
	blankQ, blankC, empty := filepath.Join(dir, "blank-q.tsv"), filepath.Join(dir, "blank-c.tsv"), filepath.Join(dir, "empty.tsv")
	os.WriteFile(blankQ, []byte("q0\tboundary layer\nq1\t \n"), 0o644)
	data, _ := os.ReadFile(c)
	lines := strings.Split(string(data), "\n")
	lines[0] = "d0\t " // a candidate of q0
	os.WriteFile(blankC, []byte(strings.Join(lines, "\n")), 0o644)
	os.WriteFile(empty, nil, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bm25", "--queries", blankQ, "--corpus", c, "--out", filepath.Join(dir, "b.run")}, "query q1 has an empty text"},
		{[]string{"bm25", "--queries", q, "--corpus", empty, "--out", filepath.Join(dir, "b.run")}, "holds no documents"},
		{append([]string{"teacher", "label", "--out", filepath.Join(dir, "l3"), "--max-length", "64"}, replaceFlag(common, "--queries", blankQ)...), "empty text"},
		{append([]string{"teacher", "label", "--out", filepath.Join(dir, "l4"), "--max-length", "64"}, replaceFlag(common, "--corpus", blankC)...), "empty text"},
		{append([]string{"teacher", "label", "--out", filepath.Join(dir, "l5"), "--max-length", "64"}, replaceFlag(common, "--corpus", empty)...), "holds no documents"},
	} {
		if code, _, errs := distill(t, tc.args...); code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("distill %s with %v: exit %d: %s, want exit 1 naming %q", tc.args[0], tc.args[1:], code, errs, tc.want)
		}
	}
}

func replaceFlag(args []string, flag, value string) []string {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == flag {
			out[i+1] = value
		}
	}
	return out
}
