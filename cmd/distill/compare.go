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
	var out, format, measures string
	var ckptFlags []string
	var alpha float64
	var seed int64
	c := &cobra.Command{
		Use:   "compare --checkpoint [NAME=]CKPT... --queries Q --corpus C --qrels QRELS [--teacher M.onnx --teacher-tokenizer T] [--labels DIR] [--out REPORT]",
		Short: "Evaluate distilled checkpoints side by side with BM25 and the teacher",
		Long: `Measures, on the same test queries:

  BM25                       stage 1 (Lucene-style, k1=0.9, b=0.4) to --depth, or --candidates RUN
  BM25 → teacher@D           the cross-encoder reranking BM25's top --depth (with --teacher)
  CKPT                       each checkpoint as a retriever over the whole corpus, its top
                             --retrieve-depth (SPLADE: inverted index of the sparse document
                             vectors; ColBERT: exact MaxSim over stored token embeddings)
  CKPT → teacher@S           the student's top --stage-depth reranked by the cross-encoder:
                             the multi-stage pipeline (with --teacher)
  BM25 → CKPT@D              the checkpoint reranking BM25's top --depth: the same candidates
                             as the teacher, scored from the same index

(--mode retrieve or rerank keeps only one of a checkpoint's two rows.) For each row:
MRR@10, nDCG@10 and the recall at every list depth of the comparison (R@S, R@D; --measures
to choose, trec_eval names or aliases). A measure cut off deeper than a row's list is not
reported ("-"): recall@100 of a 20-document list is recall@20 under another name, so
trec_eval's number would be dishonest. Then agreement with the teacher on held-out
labelled candidates (--labels: Kendall τ, Spearman ρ and the best-margin MSE, the squared
error of the score margins between the teacher's best candidate and each other one, per
query, averaged), query latency (median and p95 per query, query encoding included, stages
summed), index size, SPLADE average non-zeros and FLOPS, training steps and labels. A paired
randomisation test against the first row marks significant differences (p < --alpha).

Checkpoints (--checkpoint, repeated, or as arguments) are folders or run folders (their
latest checkpoint), optionally named NAME=PATH. Writes the table to standard output
(--format table|markdown|json) and, with --out, a report folder: report.md, report.json,
report.html with PNG plots (metrics per system, latency against nDCG@10, training curves
from each run's metrics.jsonl). Indexes are cached in --cache-dir, keyed by the
checkpoint's sha256.`,
		Example: `  distill compare --checkpoint colbert=runs/colbert/best --checkpoint splade=runs/splade/best \
      --dataset data/cranfield-beir --queries splits/queries-test.jsonl \
      --teacher teacher/model.onnx --teacher-tokenizer teacher/tokenizer.json \
      --labels labels/ --out report/
  distill compare --checkpoint runs/colbert/best --mode rerank --queries q.jsonl --corpus c.jsonl \
      --qrels qrels.tsv --format markdown`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Queries == "" || o.Corpus == "" || o.Qrels == "" {
				return usagef(cmd, "--queries, --corpus and --qrels (or --dataset) are required")
			}
			switch format {
			case "table", "markdown", "json":
			default:
				return usagef(cmd, "--format %q: want table, markdown or json", format)
			}
			for _, m := range strings.Split(measures, ",") {
				if strings.TrimSpace(m) == "" {
					continue
				}
				ms, err := metrics.ParseMeasure(strings.TrimSpace(m))
				if err != nil {
					return usagef(cmd, "--measures: %v", err)
				}
				o.Report.Measures = append(o.Report.Measures, ms)
			}
			if o.Depth <= 0 || o.RetrieveDepth < 0 || o.StageDepth <= 0 {
				return usagef(cmd, "--depth, --retrieve-depth and --stage-depth must be positive")
			}
			o.Report.Alpha, o.Report.Seed = alpha, seed
			o.ORTLib, o.Log, o.Console = a.ortLib, a.log, a.console
			var cks []compare.Checkpoint
			for _, arg := range append(ckptFlags, args...) {
				cks = append(cks, compare.ParseCheckpoint(arg))
			}
			if out != "" {
				lock, err := fsutil.LockDir(out)
				if err != nil {
					return fmt.Errorf("compare: %w", err)
				}
				defer lock.Unlock()
				if o.CacheDir == "" {
					o.CacheDir = filepath.Join(out, "index-cache")
				}
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
	f.StringVar(&o.Queries, "queries", "", "test queries (BEIR JSONL or TSV)")
	f.StringVar(&o.Corpus, "corpus", "", "corpus (BEIR JSONL or TSV)")
	f.StringVar(&o.Qrels, "qrels", "", "relevance judgements")
	f.StringVar(&o.Candidates, "candidates", "", "first-stage run to use instead of the built-in BM25")
	f.StringArrayVar(&ckptFlags, "checkpoint", nil, "checkpoint or run folder, optionally NAME=PATH (repeat for more)")
	f.IntVar(&o.Depth, "depth", 100, "first-stage candidates per query: BM25's depth, what the teacher and student rerankers rerank")
	f.IntVar(&o.RetrieveDepth, "retrieve-depth", 0, "documents per query a student retrieves from the whole corpus (default --depth)")
	f.StringVar(&o.Mode, "mode", compare.ModeBoth, "student rows: retrieve (whole corpus), rerank (BM25's top --depth) or both")
	f.StringVar(&o.TeacherModel, "teacher", "", "ONNX cross-encoder: adds the teacher and multi-stage rows")
	f.StringVar(&o.TeacherTokenizer, "teacher-tokenizer", "", "the teacher's tokenizer.json")
	f.IntVar(&o.StageDepth, "stage-depth", 20, "multi-stage: the student's top documents reranked by the teacher")
	f.IntVar(&o.MaxLength, "max-length", 256, "teacher max pair length")
	f.IntVar(&o.Threads, "threads", runtime.NumCPU(), "teacher intra-op threads")
	f.StringVar(&o.Labels, "labels", "", "teacher labels of the test queries' candidates, for agreement")
	f.StringVar(&o.CacheDir, "cache-dir", "", "index cache folder (default: OUT/index-cache)")
	f.StringVar(&out, "out", "", "report folder (report.html, report.md, report.json, plots)")
	f.StringVar(&format, "format", "table", "standard output: table, markdown or json")
	f.StringVar(&measures, "measures", "", "measures, trec_eval names or aliases (default MRR@10, nDCG@10 and R@ each list depth)")
	f.Float64Var(&alpha, "alpha", 0.05, "significance level of the paired randomisation test")
	f.Int64Var(&seed, "seed", 1, "seed of the randomisation test")
	addDatasetFlag(c)
	return c
}
