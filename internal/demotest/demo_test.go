// Package demotest runs scripts/demo.sh, the pipeline `make demo` runs, on a
// tiny slice with tiny models, and checks every artefact it leaves.
package demotest

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/ortlib"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/report"
)

func TestDemoPipelineOnTinySlice(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "distill")
	build := exec.Command("go", "build", "-o", bin, "./cmd/distill")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(tmp, "demo")
	// A guard against a hung step, not a timing check: on an idle 2-core machine both runs take
	// a few minutes, but on a shared, loaded machine the first alone took over 10.
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	demo := func(studentSteps int) string {
		cmd := exec.CommandContext(ctx, "bash", "scripts/demo.sh")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "DEMO_OUT="+out, "DISTILL="+bin, "DEMO_QUERIES=24", "THREADS=1", "DEPTH=20",
			"TEACHER_LAYERS=1", "TEACHER_HIDDEN=16", "TEACHER_HEADS=2", "TEACHER_FFN=32", "TEACHER_STEPS=20",
			"STUDENT_LAYERS=1", "STUDENT_HIDDEN=16", "STUDENT_HEADS=2", "STUDENT_FFN=32",
			fmt.Sprintf("STUDENT_STEPS=%d", studentSteps), "SPLADE_STEPS=6")
		logs, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("demo.sh: %v\n%s", err, tail(string(logs), 4000))
		}
		return string(logs)
	}
	logs := demo(20)
	if !strings.Contains(logs, "open "+out+"/report/report.html") {
		t.Errorf("the demo does not say where the report is:\n%s", tail(logs, 1000))
	}

	// Labels: complete, verified, one row per query with every BM25 candidate.
	for split, queries := range map[string]int{"train": 24, "test": 6} {
		s, err := labels.Open(filepath.Join(out, "labels-"+split), true)
		if err != nil {
			t.Fatal(err)
		}
		if s.Manifest.Queries != queries || s.Manifest.Pairs != 20*queries {
			t.Errorf("labels-%s: %d queries, %d pairs; want %d and %d", split, s.Manifest.Queries, s.Manifest.Pairs, queries, 20*queries)
		}
	}
	// Checkpoints: the teacher and six students (distilled, judgements-only and untrained twins) load and verify.
	for _, run := range []string{"teacher", "colbert-kd", "colbert-judgements", "colbert-untrained", "splade-kd", "splade-judgements", "splade-untrained"} {
		dir, ok, err := checkpoints.Latest(filepath.Join(out, "runs", run))
		if err != nil || !ok {
			t.Fatalf("runs/%s: no checkpoint (%v)", run, err)
		}
		if _, err := checkpoints.Load(dir); err != nil {
			t.Errorf("runs/%s: %v", run, err)
		}
		if _, err := checkpoints.Load(filepath.Join(out, "runs", run, "best")); err != nil {
			t.Errorf("runs/%s/best: %v", run, err)
		}
	}
	// The students start from the teacher's fine-tuned encoder: the untrained twins hold its weights.
	tw, err := checkpoints.Load(filepath.Join(out, "runs", "teacher", "best"))
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []string{"colbert-untrained", "splade-untrained"} {
		sw, err := checkpoints.Load(filepath.Join(out, "runs", run, "best"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.output.dense.weight"} {
			if a, b := sw.Weights[name].Data, tw.Weights[name].Data; len(a) == 0 || fmt.Sprint(a[:8]) != fmt.Sprint(b[:8]) {
				t.Errorf("runs/%s: %s does not start from the teacher's (%v vs %v)", run, name, a[:min(8, len(a))], b[:min(8, len(b))])
			}
		}
	}
	// The exported teacher is a Hugging Face-shaped cross-encoder.
	if _, err := ortlib.Init(""); err != nil {
		t.Fatal(err)
	}
	ins, outs, err := ort.GetInputOutputInfo(filepath.Join(out, "teacher", "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range ins {
		names = append(names, in.Name)
	}
	if strings.Join(names, ",") != "input_ids,attention_mask,token_type_ids" || len(outs) != 1 || outs[0].Name != "logits" {
		t.Errorf("exported teacher: inputs %v, outputs %v", names, outs)
	}
	if _, err := os.Stat(filepath.Join(out, "teacher", "tokenizer.json")); err != nil {
		t.Error(err)
	}
	// The report: every system, plots that decode, numbers in the Markdown.
	f, err := os.Open(filepath.Join(out, "report", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := report.ReadJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BM25", "BM25 → teacher@20"}
	for _, s := range []string{"colbert-kd", "colbert-judgements", "colbert-untrained", "splade-kd", "splade-judgements", "splade-untrained"} {
		want = append(want, s, s+" → teacher@20", "BM25 → "+s+"@20")
	}
	var got []string
	for _, r := range cmp.Rows {
		got = append(got, r.Name)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("report rows %v, want %v", got, want)
	}
	if len(cmp.QueryIDs) == 0 || cmp.HeldOutQueries != 6 {
		t.Errorf("report over %d queries with %d held-out labelled queries", len(cmp.QueryIDs), cmp.HeldOutQueries)
	}
	pngs, _ := filepath.Glob(filepath.Join(out, "report", "*.png"))
	if len(pngs) < 4 {
		t.Errorf("%d plots", len(pngs))
	}
	for _, p := range pngs {
		fh, _ := os.Open(p)
		if _, err := png.Decode(fh); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		fh.Close()
	}
	md, err := os.ReadFile(filepath.Join(out, "report", "report.md"))
	if err != nil || !strings.Contains(string(md), "| splade-kd ") {
		t.Errorf("report.md: %v\n%s", err, md)
	}
	var js map[string]any
	raw, _ := os.ReadFile(filepath.Join(out, "report", "report.json"))
	if json.Unmarshal(raw, &js) != nil {
		t.Error("report.json is not JSON")
	}

	// Running it again continues: the teacher and its labels are kept, the ColBERT students
	// train on from step 20 to the raised STUDENT_STEPS, the finished SPLADE runs are kept.
	manifest := filepath.Join(out, "labels-train", labels.ManifestName)
	before, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	again := demo(26)
	if n := strings.Count(again, "colbert student: 26 steps (from 20)"); n != 2 {
		t.Errorf("rerun with STUDENT_STEPS=26: %d ColBERT runs continued from step 20, want 2:\n%s", n, tail(again, 4000))
	}
	if n := strings.Count(again, "splade student: 6 steps (from 6)"); n != 2 {
		t.Errorf("rerun: %d finished SPLADE runs kept, want 2:\n%s", n, tail(again, 4000))
	}
	if after, err := os.ReadFile(manifest); err != nil || string(after) != string(before) {
		t.Errorf("rerun rewrote the teacher's labels (%v)", err)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
