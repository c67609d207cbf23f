package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/distill-ml/distill/compare"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/metrics"
	"github.com/distill-ml/distill/report"
)

// compareOptions is what `distill compare` runs with.
type compareOptions struct {
	IO          streams
	Compare     compare.Options
	Checkpoints []compare.Checkpoint
	Out         string // the report folder; "" writes standard output only
	Format      string // standard output: table, markdown or json
}

func (a *app) compareCmd() *cobra.Command {
	var opts compareOptions
	o := &opts.Compare
	var measures string
	var ckptFlags []string
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
			switch opts.Format {
			case "table", "markdown", "json":
			default:
				return usagef(cmd, "--format %q: want table, markdown or json", opts.Format)
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
			for _, arg := range append(ckptFlags, args...) {
				opts.Checkpoints = append(opts.Checkpoints, compare.ParseCheckpoint(arg))
			}
			opts.IO = a.streams()
			return runCompare(cmd.Context(), &opts)
		},
	}
	f := c.Flags()
	addStudentRunFlags(f, o)
	f.StringVar(&o.Qrels, "qrels", "", "relevance judgements")
	f.StringVar(&o.Candidates, "candidates", "", "first-stage run to use instead of the built-in BM25")
	f.StringArrayVar(&ckptFlags, "checkpoint", nil, "checkpoint or run folder, optionally NAME=PATH (repeat for more)")
	f.IntVar(&o.Depth, "depth", 100, "first-stage candidates per query: BM25's depth, what the teacher and student rerankers rerank")
	f.IntVar(&o.RetrieveDepth, "retrieve-depth", 0, "documents per query a student retrieves from the whole corpus (default --depth)")
	f.StringVar(&o.Mode, "mode", compare.ModeBoth, "student rows: retrieve (whole corpus), rerank (BM25's top --depth) or both")
	f.StringVar(&o.Labels, "labels", "", "teacher labels of the test queries' candidates, for agreement")
	f.StringVar(&opts.Out, "out", "", "report folder (report.html, report.md, report.json, plots)")
	f.StringVar(&opts.Format, "format", "table", "standard output: table, markdown or json")
	f.StringVar(&measures, "measures", "", "measures, trec_eval names or aliases (default MRR@10, nDCG@10 and R@ each list depth)")
	f.Float64Var(&o.Report.Alpha, "alpha", 0.05, "significance level of the paired randomisation test")
	f.Int64Var(&o.Report.Seed, "seed", 1, "seed of the randomisation test")
	addDatasetFlag(c)
	return c
}

// addStudentRunFlags adds the flags that compare and retrieve share: the
// texts, the teacher that reranks a student's top documents, and the
// index cache.
func addStudentRunFlags(f *pflag.FlagSet, o *compare.Options) {
	addTextFlags(f, &o.Queries, &o.Corpus)
	f.StringVar(&o.TeacherModel, "teacher", "", "ONNX cross-encoder reranking a student's top --stage-depth (compare: adds the teacher and multi-stage rows)")
	f.StringVar(&o.TeacherTokenizer, "teacher-tokenizer", "", "the teacher's tokenizer.json")
	f.IntVar(&o.StageDepth, "stage-depth", 20, "multi-stage: a student's top documents per query reranked by the teacher")
	f.IntVar(&o.MaxLength, "max-length", 256, "teacher max pair length")
	f.IntVar(&o.Threads, "threads", runtime.NumCPU(), "teacher intra-op threads")
	f.StringVar(&o.CacheDir, "cache-dir", "", "index cache folder, reused while a checkpoint is unchanged (compare: default OUT/index-cache)")
}

// runCompare measures the systems, prints the comparison and, with an
// output folder, writes the report into it.
func runCompare(ctx context.Context, opts *compareOptions) error {
	o := opts.Compare
	o.ORTLib, o.Log, o.Console = opts.IO.ORTLib, opts.IO.Log, opts.IO.Console
	if opts.Out != "" {
		lock, err := fsutil.LockDir(opts.Out)
		if err != nil {
			return fmt.Errorf("compare: %w", err)
		}
		defer lock.Unlock()
		if o.CacheDir == "" {
			o.CacheDir = filepath.Join(opts.Out, "index-cache")
		}
	}
	cmp, err := compare.Run(ctx, opts.Checkpoints, o)
	if err != nil {
		return ortHint(fmt.Errorf("compare: %w", err))
	}
	switch opts.Format {
	case "table":
		err = cmp.WriteTable(opts.IO.Out)
	case "markdown":
		err = cmp.WriteMarkdown(opts.IO.Out)
	case "json":
		err = cmp.WriteJSON(opts.IO.Out)
	}
	if err != nil || opts.Out == "" {
		return err
	}
	return writeReport(cmp, opts.Out, opts.IO.Out)
}

// writeReport writes report.html (with its plots), report.md and
// report.json into dir and prints where the HTML report is.
func writeReport(cmp *report.Comparison, dir string, stdout io.Writer) error {
	if err := cmp.WriteHTML(dir); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	var md, js bytes.Buffer
	if err := cmp.WriteMarkdown(&md); err != nil {
		return err
	}
	if err := cmp.WriteJSON(&js); err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, "report.md"), md.Bytes(), 0o644); err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, "report.json"), js.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nreport: %s\n", filepath.Join(dir, "report.html"))
	return nil
}
