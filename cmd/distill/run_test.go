package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bm25"
	"github.com/distill-ml/distill/internal/progress"
	"github.com/distill-ml/distill/internal/testfix"
	"github.com/distill-ml/distill/metrics"
)

// testStreams writes results to out, discards logs and draws no bars.
func testStreams(out *bytes.Buffer) streams {
	return streams{Out: out, Log: zap.NewNop(), Console: progress.NewConsole(&bytes.Buffer{}, false)}
}

// TestRunFunctionsWithoutTerminal runs verbs through their run functions,
// with options filled in code and output in a buffer, as the gh CLI tests
// its verbs: BM25 over the shipped MS MARCO subset, then eval of its run.
func TestRunFunctionsWithoutTerminal(t *testing.T) {
	data := testfix.MSMarcoDir
	run := filepath.Join(t.TempDir(), "bm25.run")
	var out bytes.Buffer
	bo := bm25Options{IO: testStreams(&out), Queries: filepath.Join(data, "queries.jsonl"), Corpus: filepath.Join(data, "corpus.jsonl"),
		Out: run, Tag: "bm25", Depth: 10, Threads: 1, Params: bm25.DefaultParams()}
	if err := runBM25(context.Background(), &bo); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "wrote "+run+": top 10 of ") {
		t.Errorf("bm25 printed %q", out.String())
	}
	if _, err := os.Stat(run); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	eo := evalOptions{IO: testStreams(&out), Run: run, Qrels: filepath.Join(data, "qrels", "test.tsv"),
		Measures: []metrics.Measure{metrics.MRR10}, Eval: metrics.Options{RelevanceLevel: 1}}
	if err := runEval(&eo); err != nil {
		t.Fatal(err)
	}
	// The same evaluation through the command line prints the same text.
	cli := mustRun(t, "eval", "--run", run, "--qrels", eo.Qrels, "--measures", "MRR@10")
	if out.String() == "" || out.String() != cli {
		t.Errorf("runEval printed %q, the command %q", out.String(), cli)
	}
}
