package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/teacher"
)

// labelsInspectOptions is what `distill labels inspect` runs with.
type labelsInspectOptions struct {
	IO     streams
	Dir    string
	Bins   int
	Verify bool // check every file's sha256
}

func (a *app) labelsInspectCmd() *cobra.Command {
	var opts labelsInspectOptions
	var noVerify bool
	c := &cobra.Command{
		Use:   "inspect DIR",
		Short: "Print a labels folder's schema, provenance, counts and score histogram",
		Long: `Reads a labels folder through its manifest.json, verifies each file's sha256
(unless --no-verify), and prints the Arrow schema, the provenance recorded by
the teacher, per-file and total counts, and a histogram of the scores.`,
		Example: `  distill labels inspect labels/`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Bins < 1 {
				return usagef(cmd, "--bins must be ≥ 1")
			}
			opts.IO, opts.Dir, opts.Verify = a.streams(), args[0], !noVerify
			return runLabelsInspect(&opts)
		},
	}
	c.Flags().IntVar(&opts.Bins, "bins", 20, "histogram bins")
	c.Flags().BoolVar(&noVerify, "no-verify", false, "skip the sha256 check of the files")
	return c
}

// runLabelsInspect prints the folder's schema, provenance, counts and
// score histogram.
func runLabelsInspect(opts *labelsInspectOptions) error {
	s, err := labels.Open(opts.Dir, opts.Verify)
	if err != nil {
		return fmt.Errorf("labels inspect: %w", err)
	}
	return s.WriteInspect(opts.IO.Out, opts.Bins)
}

// labelsExportOptions is what `distill labels export` runs with.
type labelsExportOptions struct {
	IO      streams
	Dir     string
	Format  string // labels.FormatTSV, FormatJSONL or FormatTriples
	Out     string // "" or "-": standard output
	Qrels   string // triples: positives from these judgements
	Triples labels.TripleOptions
	Seed    int64
}

func (a *app) labelsExportCmd() *cobra.Command {
	var opts labelsExportOptions
	c := &cobra.Command{
		Use:   "export DIR --format tsv|jsonl|triples [--out FILE]",
		Short: "Export labels as TSV, JSON lines or Margin-MSE triples",
		Long: `Writes the labels of DIR to --out (default standard output) as:

  tsv       query_id<TAB>doc_id<TAB>score, one pair per line
  jsonl     {"query_id", "document_ids", "scores"}, one query per line
  triples   query_id<TAB>positive_id<TAB>negative_id<TAB>margin, the Margin-MSE
            layout of Hofstätter et al. (2020): the positive is the teacher's
            best candidate (or, with --qrels, the judged relevant candidate the
            teacher scores highest), negatives are the other candidates
            (--negatives N samples N per query with --seed), and margin is
            score(pos) - score(neg).`,
		Example: `  distill labels export labels/ --format tsv > labels.tsv
  distill labels export labels/ --format triples --negatives 8 --seed 1 --out triples.tsv`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Triples.Negatives < 0 {
				return usagef(cmd, "--negatives must be ≥ 0 (0: all other candidates)")
			}
			switch opts.Format {
			case labels.FormatTSV, labels.FormatJSONL, labels.FormatTriples:
			default:
				return usagef(cmd, "--format %q: want tsv, jsonl or triples", opts.Format)
			}
			opts.IO, opts.Dir = a.streams(), args[0]
			return runLabelsExport(&opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Format, "format", "tsv", "tsv, jsonl or triples")
	f.StringVar(&opts.Out, "out", "", "output file (default: standard output)")
	f.StringVar(&opts.Qrels, "qrels", "", "triples: take positives from these judgements")
	f.IntVar(&opts.Triples.Negatives, "negatives", 0, "triples: negatives per query (0: all other candidates)")
	f.Int64Var(&opts.Seed, "seed", 0, "triples: seed for sampling negatives (0: in teacher-score order)")
	return c
}

// runLabelsExport writes the labels in the chosen format.
func runLabelsExport(opts *labelsExportOptions) error {
	s, err := labels.Open(opts.Dir, true)
	if err != nil {
		return fmt.Errorf("labels export: %w", err)
	}
	topts := opts.Triples
	if opts.Qrels != "" {
		q, err := datasets.ReadQrels(opts.Qrels)
		if err != nil {
			return fmt.Errorf("labels export: %w", err)
		}
		topts.Relevant = q
	}
	if opts.Out == "" || opts.Out == "-" {
		w := bufio.NewWriter(opts.IO.Out)
		if err := s.Export(w, opts.Format, topts, opts.Seed); err != nil {
			return fmt.Errorf("labels export: %w", err)
		}
		return w.Flush()
	}
	err = fsutil.WriteAtomic(opts.Out, 0o644, func(w io.Writer) error {
		return s.Export(w, opts.Format, topts, opts.Seed)
	})
	if err != nil {
		return fmt.Errorf("labels export: %w", err)
	}
	return nil
}

func (a *app) labelsMergeCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "merge DIR",
		Short: "Check the shards of a sharded labelling job and merge their manifests",
		Long: `A sharded job ('distill teacher label --shard i/N --out DIR', or a Kubernetes
Indexed Job / Slurm array) writes DIR/shard-0000i-of-0000N/. merge checks that
every shard 0..N-1 is present and complete, that all come from the same
model, tokenizer, candidates and settings, that every file matches its sha256
and that no query was labelled twice, then writes DIR/manifest.json covering
them all, so DIR reads as one labels folder. A missing or unfinished shard is
an error naming it.`,
		Example: `  distill labels merge labels/ && distill labels inspect labels/`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLabelsMerge(a.streams(), args[0])
		},
	}
	return c
}

// runLabelsMerge checks the shards of dir and writes its manifest.
func runLabelsMerge(st streams, dir string) error {
	m, err := labels.Merge(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(st.Out, "merged %d shards of %s: %d files, %d queries, %d pairs\n", len(m.Shards), dir, len(m.Files), m.Queries, m.Pairs)
	return nil
}

// labelsVerifyOptions is what `distill labels verify` runs with.
type labelsVerifyOptions struct {
	IO      streams
	Dir     string
	Repair  bool
	Threads int // --repair: intra-op threads
}

func (a *app) labelsVerifyCmd() *cobra.Command {
	var opts labelsVerifyOptions
	c := &cobra.Command{
		Use:   "verify DIR [--repair]",
		Short: "Check every label file of a folder and relabel the damaged chunks",
		Long: `Checks every file of a complete labels folder (a job's, or a merged one)
against its manifest.json: present, of the recorded size and sha256, readable
to the end with the content checksum, finite scores, and the recorded row and
pair counts; and finds part files on disk that the manifest does not list.
Prints one line per file and fails (exit 1) naming the damaged ones.

--repair relabels just those chunks: it runs the labelling job recorded in
the folder's job.json again (the same model, tokenizer, texts, candidates and
settings, checked by sha256), which deletes the damaged files, scores their
chunks anew and rewrites the manifest; a merged folder is merged again.
'distill teacher label ... --repair' does the same from the command line.`,
		Example: `  distill labels verify labels/
  distill labels verify --repair labels/
  distill labels verify --repair labels/ --threads 8   # sharded: repairs each damaged shard, merges again`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Threads < 0 {
				return usagef(cmd, "--threads must be ≥ 0")
			}
			opts.IO, opts.Dir = a.streams(), args[0]
			return runLabelsVerify(cmd.Context(), &opts)
		},
	}
	c.Flags().BoolVar(&opts.Repair, "repair", false, "relabel the damaged chunks with the job recorded in job.json")
	c.Flags().IntVar(&opts.Threads, "threads", runtime.NumCPU(), "--repair: intra-op threads of the ONNX Runtime session")
	return c
}

// runLabelsVerify checks every file of the folder and, with Repair,
// relabels the damaged chunks and checks again.
func runLabelsVerify(ctx context.Context, opts *labelsVerifyOptions) error {
	dir := opts.Dir
	m, bad, err := opts.IO.verifyLabels(dir)
	if err != nil {
		return fmt.Errorf("labels verify: %w", err)
	}
	if len(bad) == 0 {
		return nil
	}
	if !opts.Repair {
		return fmt.Errorf("labels verify: %d of %d files of %s fail verification; 'distill labels verify --repair %s' relabels just those chunks",
			len(bad), len(m.Files), dir, dir)
	}
	folders := map[string]bool{}
	for _, b := range bad {
		folders[filepath.Join(dir, filepath.Dir(b.Path))] = true
	}
	for _, folder := range slices.Sorted(maps.Keys(folders)) {
		if err := opts.IO.relabel(ctx, folder, opts.Threads); err != nil {
			return flagHint(fmt.Errorf("labels verify: repair %s: %w", folder, err))
		}
	}
	if len(m.Shards) > 0 {
		if _, err := labels.Merge(dir); err != nil {
			return fmt.Errorf("labels verify: %w", err)
		}
	}
	fmt.Fprintln(opts.IO.Out, "after repair:")
	if _, bad, err = opts.IO.verifyLabels(dir); err != nil || len(bad) > 0 {
		return fmt.Errorf("labels verify: %s still fails verification after repair: %v", dir, err)
	}
	return nil
}

// verifyLabels checks dir and prints one line per file.
func (st streams) verifyLabels(dir string) (*labels.Manifest, []labels.FileCheck, error) {
	m, checks, err := labels.Check(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range checks {
		if c.OK() {
			fmt.Fprintf(st.Out, "ok       %s\n", c.Path)
		} else {
			fmt.Fprintf(st.Out, "DAMAGED  %s: %s\n", c.Path, c.Problem)
		}
	}
	bad := labels.Damaged(checks)
	fmt.Fprintf(st.Out, "%s: %d of %d files verified\n", dir, len(checks)-len(bad), len(checks))
	return m, bad, nil
}

// relabel runs the labelling job recorded in folder/job.json with Repair.
func (st streams) relabel(ctx context.Context, folder string, threads int) error {
	job, err := teacher.ReadJob(folder)
	if err != nil {
		return err
	}
	job.Repair = true
	o := scoringOptions{model: job.Model, tokenizer: job.Tokenizer, maxLength: job.MaxLength, batchSize: job.BatchSize,
		threads: threads, sessions: 1, device: "cpu"}
	eng, sc, err := st.engine(&o)
	if err != nil {
		return err
	}
	defer sc.Close()
	job.Activation = activation(sc.Info)
	res, err := teacher.Label(ctx, job, eng, st.Log)
	if err != nil {
		return err
	}
	fmt.Fprintf(st.Out, "relabelled %s in %s (%d pairs scored)\n", strings.Join(res.Repaired, ", "), res.Dir, res.Stats.Pairs)
	return nil
}
