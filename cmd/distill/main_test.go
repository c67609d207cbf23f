package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
)

const tokPath = "../../data/tokenizers/bert-base-uncased/tokenizer.json"

// distill runs the CLI in-process and returns its exit code and output.
func distill(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := distill(t, args...)
	if code != 0 {
		t.Fatalf("distill %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func TestEveryCommandHasHelpWithExamples(t *testing.T) {
	root := newApp(os.Stdout, os.Stderr).rootCmd()
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			if sub.Runnable() && !sub.HasSubCommands() {
				n++
				if sub.Example == "" || sub.Long == "" {
					t.Errorf("%s: --help lacks a long description or examples", sub.CommandPath())
				}
			}
			walk(sub)
		}
	}
	walk(root)
	if n < 8 {
		t.Errorf("only %d runnable commands", n)
	}
}

// TestExitCodes: version exits 0 and prints --version's text; an unknown
// command or subcommand is a usage error (2); a group alone prints its help.
func TestExitCodes(t *testing.T) {
	code, out, _ := distill(t, "version")
	_, want, _ := distill(t, "--version")
	if code != 0 || out != want || !strings.HasPrefix(out, "distill version ") {
		t.Errorf("distill version: exit %d, %q; --version %q", code, out, want)
	}
	for _, args := range [][]string{{"teacher", "bogus"}, {"bogus"}, {"labels", "inspekt", "x"}} {
		if code, _, errs := distill(t, args...); code != 2 || !strings.Contains(errs, "unknown command") {
			t.Errorf("distill %v: exit %d, %q; want 2", args, code, errs)
		}
	}
	if code, out, _ := distill(t, "teacher"); code != 0 || !strings.Contains(out, "Available Commands") {
		t.Errorf("distill teacher: exit %d, %q", code, out)
	}
}

// TestOldFlagSpellings: the old names still work and --help shows only the new ones.
func TestOldFlagSpellings(t *testing.T) {
	for _, c := range []struct{ cmd, old, now string }{
		{"teacher rerank", "run", "candidates"},
		{"bm25", "workers", "threads"},
	} {
		_, help, _ := distill(t, append(strings.Fields(c.cmd), "--help")...)
		_, help, _ = strings.Cut(help, "\nFlags:")
		if strings.Contains(help, "--"+c.old+" ") || !strings.Contains(help, "--"+c.now+" ") {
			t.Errorf("%s --help: want --%s listed and --%s hidden:\n%s", c.cmd, c.now, c.old, help)
		}
	}
	dir := t.TempDir()
	beir := filepath.Join(dir, "cran")
	mustRun(t, "datasets", "convert", "--from", "cranfield", "../../data/cranfield", "--out", beir)
	a, b := filepath.Join(dir, "a.run"), filepath.Join(dir, "b.run")
	mustRun(t, "bm25", "--dataset", beir, "--depth", "5", "--threads", "2", "--out", a)
	mustRun(t, "bm25", "--queries", filepath.Join(beir, "queries.jsonl"), "--corpus", filepath.Join(beir, "corpus.jsonl"),
		"--depth", "5", "--workers", "1", "--out", b)
	ra, _ := os.ReadFile(a)
	rb, _ := os.ReadFile(b)
	if len(ra) == 0 || string(ra) != string(rb) {
		t.Errorf("bm25 --dataset/--threads and --queries/--corpus/--workers differ")
	}
	// --dataset gives eval its qrels/test.tsv.
	if out := mustRun(t, "eval", "--run", a, "--dataset", beir, "--measures", "P@5"); !strings.HasPrefix(out, "P_5") {
		t.Errorf("eval --dataset: %q", out)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"teacher", "label", "--model", "m.onnx"},
		{"bm25", "--depth", "10"},
		{"pretrain", "--corpus", "c.jsonl"},
		{"teacher", "finetune", "--candidates", "r", "--qrels", "q", "--out", "o", "--weak", "tfidf"},
		{"teacher", "finetune", "--candidates", "r", "--qrels", "q", "--out", "o", "--weak", "bm25", "--pseudo-query-kind", "abstract"},
		{"eval", "--run", "x"},
		{"labels", "inspect"},
		{"teacher", "label", "--no-such-flag"},
		{"eval", "--run", "r", "--qrels", "q", "--measures", "bogus@3"},
		{"--log-format", "xml", "eval", "--run", "r", "--qrels", "q"},
	} {
		code, _, errs := distill(t, args...)
		if code != 2 || !strings.Contains(errs, "--help") {
			t.Errorf("distill %v: exit %d, stderr %q; want 2 with a usage hint", args, code, errs)
		}
	}
	code, _, errs := distill(t, "eval", "--run", "/no/such.run", "--qrels", "/no/such.qrels")
	if code != 1 || !strings.Contains(errs, "/no/such.run") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

// TestPipeline runs stage 1 to labels, export, merge and reranking through the
// command line on a slice of Cranfield, with a tiny generated cross-encoder.
func TestPipeline(t *testing.T) {
	dir := t.TempDir()
	beir := filepath.Join(dir, "cran")
	mustRun(t, "datasets", "convert", "--from", "cranfield", "../../data/cranfield", "--out", beir)
	// Keep 30 queries to stay fast.
	qs, err := datasets.ReadQueries(filepath.Join(beir, "queries.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	queries := filepath.Join(dir, "queries.tsv")
	if err := datasets.WriteQueriesTSV(queries, qs[:30]); err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(beir, "corpus.jsonl")
	qrels := filepath.Join(beir, "qrels", "test.tsv")
	runPath := filepath.Join(dir, "bm25.run")
	mustRun(t, "bm25", "--queries", queries, "--corpus", corpus, "--depth", "20", "--out", runPath)
	out := mustRun(t, "eval", "--run", runPath, "--qrels", qrels, "--measures", "nDCG@10")
	if !strings.HasPrefix(out, "ndcg_cut_10") {
		t.Fatalf("eval output %q", out)
	}

	model := filepath.Join(dir, "model.onnx")
	if err := bertonnx.WriteCrossEncoder(model, bertonnx.Tiny(), bertonnx.RandomWeights(bertonnx.Tiny(), 5), bertonnx.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	common := []string{"--model", model, "--tokenizer", tokPath, "--queries", queries, "--corpus", corpus,
		"--candidates", runPath, "--depth", "10", "--max-length", "128", "--threads", "1"}
	lab := filepath.Join(dir, "labels")
	out = mustRun(t, append([]string{"teacher", "label", "--out", lab, "--chunk-pairs", "50"}, common...)...)
	if !strings.Contains(out, "labelled 300 pairs of 30 queries") {
		t.Fatalf("label output %q", out)
	}
	out = mustRun(t, append([]string{"teacher", "label", "--out", lab, "--chunk-pairs", "50"}, common...)...)
	if !strings.Contains(out, "already complete") {
		t.Fatalf("second run: %q", out)
	}
	// Sharded over two "machines", then merged: the same labels.
	sh := filepath.Join(dir, "sharded")
	mustRun(t, append([]string{"teacher", "label", "--out", sh, "--shard", "0/2"}, common...)...)
	code, _, errs := distill(t, "labels", "merge", sh)
	if code != 1 || !strings.Contains(errs, "shard-00001-of-00002") {
		t.Fatalf("merge with a missing shard: exit %d: %s", code, errs)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	t.Setenv("JOB_COMPLETIONS", "2")
	mustRun(t, append([]string{"teacher", "label", "--out", sh}, common...)...)
	mustRun(t, "labels", "merge", sh)
	a := mustRun(t, "labels", "export", lab, "--format", "tsv")
	b := mustRun(t, "labels", "export", sh, "--format", "tsv")
	if strings.Count(a, "\n") != 300 || sortedLines(a) != sortedLines(b) {
		t.Fatalf("sharded labels differ from unsharded (%d vs %d lines)", strings.Count(a, "\n"), strings.Count(b, "\n"))
	}
	tr := mustRun(t, "labels", "export", lab, "--format", "triples", "--negatives", "3", "--seed", "1")
	if strings.Count(tr, "\n") != 90 {
		t.Errorf("triples: %d lines, want 30 queries × 3", strings.Count(tr, "\n"))
	}
	insp := mustRun(t, "labels", "inspect", lab)
	for _, want := range []string{"model_sha256", "queries:     30", "pairs:       300"} {
		if !strings.Contains(insp, want) {
			t.Errorf("inspect lacks %q", want)
		}
	}
	rows, _, err := labels.ReadDir(lab)
	if err != nil || len(rows) != 30 {
		t.Fatalf("labels: %d rows, %v", len(rows), err)
	}
	// Stage 2: rerank the BM25 run with the cross-encoder.
	rr := filepath.Join(dir, "ce.run")
	mustRun(t, "teacher", "rerank", "--run", runPath, "--out", rr, "--model", model, "--tokenizer", tokPath,
		"--queries", queries, "--corpus", corpus, "--threads", "1")
	reranked, err := datasets.ReadRun(rr)
	if err != nil || len(reranked) != 30 || len(reranked[rows[0].QueryID]) != 20 {
		t.Fatalf("reranked run: %d queries, %v", len(reranked), err)
	}
}

func TestMissingRuntimeLibraryNamesFlagAndEnv(t *testing.T) {
	code, _, errs := distill(t, "--ort-lib", "/no/such/libonnxruntime.so", "teacher", "label", "--model", "m.onnx", "--tokenizer", tokPath,
		"--queries", "q.tsv", "--corpus", "c.tsv", "--candidates", "r.run", "--out", t.TempDir())
	if code != 1 || !strings.Contains(errs, "--ort-lib") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestCUDAUnavailableNamesFlag: the CPU build of ONNX Runtime that make
// installs has no CUDA provider; --device cuda fails naming the flag that
// points at a GPU build.
func TestCUDAUnavailableNamesFlag(t *testing.T) {
	dir := t.TempDir()
	args := append([]string{"teacher", "label", "--device", "cuda", "--out", filepath.Join(dir, "labels")}, labelFixture(t, dir)...)
	code, _, errs := distill(t, args...)
	if code == 0 {
		t.Skip("this ONNX Runtime library has the CUDA provider")
	}
	if code != 1 || !strings.Contains(errs, "CUDA") || !strings.Contains(errs, "--ort-lib") {
		t.Fatalf("exit %d, stderr %q; want 1 naming CUDA and --ort-lib", code, errs)
	}
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
