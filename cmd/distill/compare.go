package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/compare"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/metrics"
)

func (a *app) compareCmd() *cobra.Command {
	var o compare.Options
	var dataset, out, format, measures string
	var alpha float64
	var seed int64
	c := &cobra.Command{
		Use:   "compare CKPT... --queries Q --corpus C --qrels QRELS [--teacher M.onnx --teacher-tokenizer T] [--labels DIR] [--out REPORT]",
		Short: "Evaluate distilled checkpoints side by side with BM25 and the teacher",
		Long: `Measures, on the same test queries:

  BM25                       stage 1 (Lucene-style, k1=0.9, b=0.4), or --candidates RUN
  BM25 → teacher@K           the cross-encoder reranking BM25's top --depth (with --teacher)
  CKPT                       each checkpoint: with --mode retrieve (default) a first-stage
                             retriever over the whole corpus (SPLADE: inverted index of the
                             sparse document vectors; ColBERT: exact MaxSim over stored token
                             embeddings), with --mode rerank a reranker of BM25's top --depth
  CKPT → teacher@K           the student's top --stage-depth reranked by the cross-encoder:
                             the multi-stage pipeline (with --teacher)

and prints for each: MRR@10, nDCG@10, Recall@100 (trec_eval conventions, --measures to
change), agreement with the teacher on held-out labelled candidates (--labels: Kendall τ,
Spearman ρ and Margin-MSE per query, averaged), query latency (median and p95 per query,
query encoding included, stages summed), index size, SPLADE average non-zeros and FLOPS,
training steps and labels. A paired randomisation test against the first row marks
significant differences (p < --alpha). Checkpoints are folders or run folders (their
latest checkpoint), optionally named NAME=PATH.

Writes the table to standard output (--format table|markdown|json) and, with --out, a
report folder: report.md, report.json, report.html with PNG plots (metrics per system,
latency against nDCG@10, training curves from each run's metrics.jsonl). Indexes are
cached in --cache-dir, keyed by the checkpoint's sha256.`,
		Example: `  distill compare runs/colbert runs/splade baseline=runs/colbert-ce \
      --dataset data/cranfield-beir --queries splits/queries-test.jsonl \
      --teacher teacher/model.onnx --teacher-tokenizer teacher/tokenizer.json \
      --labels labels/ --out report/
  distill compare runs/colbert/best --mode rerank --queries q.jsonl --corpus c.jsonl --qrels qrels.tsv --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataset != "" {
				if o.Queries == "" {
					o.Queries = filepath.Join(dataset, "queries.jsonl")
				}
				if o.Corpus == "" {
					o.Corpus = filepath.Join(dataset, "corpus.jsonl")
				}
				if o.Qrels == "" {
					o.Qrels = filepath.Join(dataset, "qrels", "test.tsv")
				}
			}
			if o.Queries == "" || o.Corpus == "" || o.Qrels == "" {
				return usagef(cmd, "--queries, --corpus and --qrels (or --dataset) are required")
			}
			switch format {
			case "table", "markdown", "json":
			default:
				return usagef(cmd, "--format %q: want table, markdown or json", format)
			}
			for _, m := range strings.Split(measures, ",") {
				ms, err := metrics.ParseMeasure(strings.TrimSpace(m))
				if err != nil {
					return usagef(cmd, "--measures: %v", err)
				}
				o.Report.Measures = append(o.Report.Measures, ms)
			}
			o.Report.Alpha, o.Report.Seed = alpha, seed
			o.ORTLib, o.Log = a.ortLib, a.log
			var cks []compare.Checkpoint
			for _, arg := range args {
				cks = append(cks, compare.ParseCheckpoint(arg))
			}
			if o.CacheDir == "" && out != "" {
				o.CacheDir = filepath.Join(out, "index-cache")
			}
			cmp, err := compare.Run(cmd.Context(), cks, o)
			if err != nil {
				return fmt.Errorf("compare: %w", err)
			}
			switch format {
			case "table":
				err = cmp.WriteTable(a.stdout)
			case "markdown":
				err = cmp.WriteMarkdown(a.stdout)
			case "json":
				err = cmp.WriteJSON(a.stdout)
			}
			if err != nil {
				return err
			}
			if out == "" {
				return nil
			}
			if err := cmp.WriteHTML(out); err != nil {
				return fmt.Errorf("compare: %w", err)
			}
			var md, js bytes.Buffer
			if err := cmp.WriteMarkdown(&md); err != nil {
				return err
			}
			if err := cmp.WriteJSON(&js); err != nil {
				return err
			}
			if err := fsutil.WriteFileAtomic(filepath.Join(out, "report.md"), md.Bytes(), 0o644); err != nil {
				return err
			}
			if err := fsutil.WriteFileAtomic(filepath.Join(out, "report.json"), js.Bytes(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "\nreport: %s\n", filepath.Join(out, "report.html"))
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&dataset, "dataset", "", "BEIR folder: queries.jsonl, corpus.jsonl, qrels/test.tsv")
	f.StringVar(&o.Queries, "queries", "", "test queries (BEIR JSONL or TSV)")
	f.StringVar(&o.Corpus, "corpus", "", "corpus (BEIR JSONL or TSV)")
	f.StringVar(&o.Qrels, "qrels", "", "relevance judgements")
	f.StringVar(&o.Candidates, "candidates", "", "first-stage run to use instead of the built-in BM25")
	f.IntVar(&o.Depth, "depth", 100, "first-stage depth, reranking depth and retrieval depth")
	f.StringVar(&o.Mode, "mode", compare.ModeRetrieve, "student rows: retrieve (full corpus) or rerank (BM25's top --depth)")
	f.StringVar(&o.TeacherModel, "teacher", "", "ONNX cross-encoder: adds the teacher and multi-stage rows")
	f.StringVar(&o.TeacherTokenizer, "teacher-tokenizer", "", "the teacher's tokenizer.json")
	f.IntVar(&o.StageDepth, "stage-depth", 20, "multi-stage: student candidates reranked by the teacher")
	f.IntVar(&o.MaxLength, "max-length", 256, "teacher max pair length")
	f.IntVar(&o.Threads, "threads", runtime.NumCPU(), "teacher intra-op threads")
	f.StringVar(&o.Labels, "labels", "", "teacher labels of the test queries' candidates, for agreement")
	f.StringVar(&o.CacheDir, "cache-dir", "", "index cache folder (default: OUT/index-cache)")
	f.StringVar(&out, "out", "", "report folder (report.html, report.md, report.json, plots)")
	f.StringVar(&format, "format", "table", "standard output: table, markdown or json")
	f.StringVar(&measures, "measures", "MRR@10,nDCG@10,R@100", "measures (trec_eval names or aliases)")
	f.Float64Var(&alpha, "alpha", 0.05, "significance level of the paired randomisation test")
	f.Int64Var(&seed, "seed", 1, "seed of the randomisation test")
	return c
}
