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

func (a *app) labelsCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "labels",
		Short: "Inspect, export and merge teacher labels",
	}
	c.AddCommand(a.labelsInspectCmd(), a.labelsExportCmd(), a.labelsMergeCmd(), a.labelsVerifyCmd())
	return c
}

func (a *app) labelsInspectCmd() *cobra.Command {
	var bins int
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
			if bins < 1 {
				return usagef(cmd, "--bins must be ≥ 1")
			}
			s, err := labels.Open(args[0], !noVerify)
			if err != nil {
				return fmt.Errorf("labels inspect: %w", err)
			}
			return s.WriteInspect(a.stdout, bins)
		},
	}
	c.Flags().IntVar(&bins, "bins", 20, "histogram bins")
	c.Flags().BoolVar(&noVerify, "no-verify", false, "skip the sha256 check of the files")
	return c
}

func (a *app) labelsExportCmd() *cobra.Command {
	var format, out, qrels string
	var negatives int
	var seed int64
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
			if negatives < 0 {
				return usagef(cmd, "--negatives must be ≥ 0 (0: all other candidates)")
			}
			s, err := labels.Open(args[0], true)
			if err != nil {
				return fmt.Errorf("labels export: %w", err)
			}
			topts := labels.TripleOptions{Negatives: negatives}
			if qrels != "" {
				q, err := datasets.ReadQrels(qrels)
				if err != nil {
					return fmt.Errorf("labels export: %w", err)
				}
				topts.Relevant = q
			}
			switch format {
			case labels.FormatTSV, labels.FormatJSONL, labels.FormatTriples:
			default:
				return usagef(cmd, "--format %q: want tsv, jsonl or triples", format)
			}
			if out == "" || out == "-" {
				w := bufio.NewWriter(a.stdout)
				if err := s.Export(w, format, topts, seed); err != nil {
					return fmt.Errorf("labels export: %w", err)
				}
				return w.Flush()
			}
			err = fsutil.WriteAtomic(out, 0o644, func(w io.Writer) error {
				return s.Export(w, format, topts, seed)
			})
			if err != nil {
				return fmt.Errorf("labels export: %w", err)
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "tsv", "tsv, jsonl or triples")
	c.Flags().StringVar(&out, "out", "", "output file (default: standard output)")
	c.Flags().StringVar(&qrels, "qrels", "", "triples: take positives from these judgements")
	c.Flags().IntVar(&negatives, "negatives", 0, "triples: negatives per query (0: all other candidates)")
	c.Flags().Int64Var(&seed, "seed", 0, "triples: seed for sampling negatives (0: in teacher-score order)")
	return c
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
			m, err := labels.Merge(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "merged %d shards of %s: %d files, %d queries, %d pairs\n", len(m.Shards), args[0], len(m.Files), m.Queries, m.Pairs)
			return nil
		},
	}
	return c
}

func (a *app) labelsVerifyCmd() *cobra.Command {
	var repair bool
	var threads int
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
			dir := args[0]
			m, bad, err := a.verifyLabels(dir)
			if err != nil {
				return fmt.Errorf("labels verify: %w", err)
			}
			if len(bad) == 0 {
				return nil
			}
			if !repair {
				return fmt.Errorf("labels verify: %d of %d files of %s fail verification; 'distill labels verify --repair %s' relabels just those chunks",
					len(bad), len(m.Files), dir, dir)
			}
			if threads < 0 {
				return usagef(cmd, "--threads must be ≥ 0")
			}
			folders := map[string]bool{}
			for _, b := range bad {
				folders[filepath.Join(dir, filepath.Dir(b.Path))] = true
			}
			for _, folder := range slices.Sorted(maps.Keys(folders)) {
				if err := a.relabel(cmd.Context(), folder, threads); err != nil {
					return fmt.Errorf("labels verify: repair %s: %w", folder, err)
				}
			}
			if len(m.Shards) > 0 {
				if _, err := labels.Merge(dir); err != nil {
					return fmt.Errorf("labels verify: %w", err)
				}
			}
			fmt.Fprintln(a.stdout, "after repair:")
			if _, bad, err = a.verifyLabels(dir); err != nil || len(bad) > 0 {
				return fmt.Errorf("labels verify: %s still fails verification after repair: %v", dir, err)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&repair, "repair", false, "relabel the damaged chunks with the job recorded in job.json")
	c.Flags().IntVar(&threads, "threads", runtime.NumCPU(), "--repair: intra-op threads of the ONNX Runtime session")
	return c
}

// verifyLabels checks dir and prints one line per file.
func (a *app) verifyLabels(dir string) (*labels.Manifest, []labels.FileCheck, error) {
	m, checks, err := labels.Check(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range checks {
		if c.OK() {
			fmt.Fprintf(a.stdout, "ok       %s\n", c.Path)
		} else {
			fmt.Fprintf(a.stdout, "DAMAGED  %s: %s\n", c.Path, c.Problem)
		}
	}
	bad := labels.Damaged(checks)
	fmt.Fprintf(a.stdout, "%s: %d of %d files verified\n", dir, len(checks)-len(bad), len(checks))
	return m, bad, nil
}

// relabel runs the labelling job recorded in folder/job.json with Repair.
func (a *app) relabel(ctx context.Context, folder string, threads int) error {
	job, err := teacher.ReadJob(folder)
	if err != nil {
		return err
	}
	job.Repair = true
	o := scoringOptions{model: job.Model, tokenizer: job.Tokenizer, maxLength: job.MaxLength, batchSize: job.BatchSize,
		threads: threads, sessions: 1, device: "cpu"}
	eng, sc, err := a.streams().engine(&o)
	if err != nil {
		return err
	}
	defer sc.Close()
	job.Activation = activation(sc.Info)
	res, err := teacher.Label(ctx, job, eng, a.log)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "relabelled %s in %s (%d pairs scored)\n", strings.Join(res.Repaired, ", "), res.Dir, res.Stats.Pairs)
	return nil
}
