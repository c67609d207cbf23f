package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/compare"
	"github.com/distill-ml/distill/datasets"
)

// retrieveOptions is what `distill retrieve` runs with.
type retrieveOptions struct {
	IO         streams
	Compare    compare.Options
	Checkpoint string
	Out        string // the TREC run written
	Tag        string
}

func (a *app) retrieveCmd() *cobra.Command {
	var opts retrieveOptions
	o := &opts.Compare
	c := &cobra.Command{
		Use:   "retrieve --checkpoint CKPT --queries Q --corpus C --out RUN [--teacher M.onnx --teacher-tokenizer T]",
		Short: "Retrieve with a distilled student over the whole corpus, optionally reranked by the teacher",
		Long: `Runs a student checkpoint as a first-stage retriever over the whole corpus
(SPLADE: an inverted index of its sparse document vectors; ColBERT: exact MaxSim
over its token embeddings, cached in Arrow under --cache-dir and reused while
the checkpoint is the same) and writes the top --depth documents per query as a
TREC run. With --teacher, each query's top --stage-depth are reranked by the ONNX
cross-encoder and the run holds those, in the cross-encoder's order: the
multi-stage pipeline (student → cross-encoder) in one command. --mode rerank makes the student rerank BM25's top --depth instead.`,
		Example: `  distill retrieve --checkpoint runs/splade/best --queries q.jsonl --corpus corpus.jsonl \
      --depth 1000 --out splade.run --cache-dir cache/
  distill retrieve --checkpoint runs/colbert/best --queries q.jsonl --corpus corpus.jsonl \
      --teacher teacher/model.onnx --teacher-tokenizer teacher/tokenizer.json --stage-depth 50 --out pipeline.run`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := required(cmd, "checkpoint", "queries", "corpus", "out"); err != nil {
				return err
			}
			opts.IO = a.streams()
			return runRetrieve(cmd.Context(), &opts)
		},
	}
	f := c.Flags()
	addStudentRunFlags(f, o)
	f.StringVar(&opts.Checkpoint, "checkpoint", "", "student checkpoint folder or run folder")
	f.StringVar(&opts.Out, "out", "", "output TREC run")
	f.StringVar(&opts.Tag, "tag", "distill", "run tag")
	f.IntVar(&o.Depth, "depth", 100, "documents per query")
	f.StringVar(&o.Mode, "mode", compare.ModeRetrieve, "retrieve (full corpus) or rerank (BM25's top --depth)")
	addDatasetFlag(c)
	return c
}

// runRetrieve runs the student (and the teacher after it) over the queries
// and writes the run.
func runRetrieve(ctx context.Context, opts *retrieveOptions) error {
	o := opts.Compare
	o.ORTLib, o.Log, o.Console = opts.IO.ORTLib, opts.IO.Log, opts.IO.Console
	res, err := compare.Retrieve(ctx, compare.ParseCheckpoint(opts.Checkpoint), o)
	if err != nil {
		return ortHint(fmt.Errorf("retrieve: %w", err))
	}
	if err := datasets.WriteRun(opts.Out, res.Run, opts.Tag); err != nil {
		return fmt.Errorf("retrieve: %w", err)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: %d queries with %s; latency per query median %.2f ms, p95 %.2f ms\n",
		opts.Out, len(res.Run), res.Kind, res.Latency.P50, res.Latency.P95)
	return nil
}
