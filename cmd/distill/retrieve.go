package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/compare"
	"github.com/distill-ml/distill/datasets"
)

func (a *app) retrieveCmd() *cobra.Command {
	var o compare.Options
	var ckpt, out, tag string
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
			o.ORTLib, o.Log, o.Console = a.ortLib, a.log, a.console
			res, err := compare.Retrieve(cmd.Context(), compare.ParseCheckpoint(ckpt), o)
			if err != nil {
				return fmt.Errorf("retrieve: %w", err)
			}
			if err := datasets.WriteRun(out, res.Run, tag); err != nil {
				return fmt.Errorf("retrieve: %w", err)
			}
			fmt.Fprintf(a.stdout, "wrote %s: %d queries with %s; latency per query median %.2f ms, p95 %.2f ms\n",
				out, len(res.Run), res.Kind, res.Latency.P50, res.Latency.P95)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&ckpt, "checkpoint", "", "student checkpoint folder or run folder")
	f.StringVar(&o.Queries, "queries", "", "queries (BEIR JSONL or TSV)")
	f.StringVar(&o.Corpus, "corpus", "", "corpus (BEIR JSONL or TSV)")
	f.StringVar(&out, "out", "", "output TREC run")
	f.StringVar(&tag, "tag", "distill", "run tag")
	f.IntVar(&o.Depth, "depth", 100, "documents per query")
	f.StringVar(&o.Mode, "mode", compare.ModeRetrieve, "retrieve (full corpus) or rerank (BM25's top --depth)")
	f.StringVar(&o.TeacherModel, "teacher", "", "ONNX cross-encoder reranking the student's top --stage-depth")
	f.StringVar(&o.TeacherTokenizer, "teacher-tokenizer", "", "the teacher's tokenizer.json")
	f.IntVar(&o.StageDepth, "stage-depth", 20, "documents per query the teacher reranks")
	f.IntVar(&o.MaxLength, "max-length", 256, "teacher max pair length")
	f.IntVar(&o.Threads, "threads", runtime.NumCPU(), "teacher intra-op threads")
	f.StringVar(&o.CacheDir, "cache-dir", "", "index cache folder (reused while the checkpoint is unchanged)")
	addDatasetFlag(c)
	return c
}
