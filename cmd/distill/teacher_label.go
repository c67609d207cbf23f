package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/internal/ortlib"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/teacher"
)

// scoringOptions are the flags shared by `teacher label` and `teacher rerank`.
type scoringOptions struct {
	model, tokenizer     string
	queries, corpus      string
	candidates           string
	maxLength, batchSize int
	threads, sessions    int
	device               string
	depth                int
	skipMissing, noSort  bool
}

func (o *scoringOptions) register(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&o.model, "model", "", "cross-encoder exported to ONNX (inputs input_ids, attention_mask[, token_type_ids]; output logits)")
	f.StringVar(&o.tokenizer, "tokenizer", "", "the model's Hugging Face tokenizer.json (WordPiece, Unigram or BPE; or a BERT vocab.txt)")
	addTextFlags(f, &o.queries, &o.corpus)
	f.IntVar(&o.maxLength, "max-length", 256, "maximum tokens of a pair, longest-first truncation")
	f.IntVar(&o.batchSize, "batch-size", 32, "pairs per ONNX Runtime call")
	f.IntVar(&o.threads, "threads", runtime.NumCPU(), "intra-op threads per ONNX Runtime session")
	f.IntVar(&o.sessions, "sessions", 1, "ONNX Runtime sessions running batches concurrently")
	f.StringVar(&o.device, "device", "cpu", "cpu, or cuda (needs a CUDA build of ONNX Runtime)")
	f.IntVar(&o.depth, "depth", 0, "score the top-K candidates per query (0: all in the run)")
	f.BoolVar(&o.skipMissing, "skip-missing", false, "skip candidates whose query or document is missing (counted) instead of failing")
	f.BoolVar(&o.noSort, "no-sort", false, "do not sort pairs by length before batching (for benchmarks)")
	addDatasetFlag(c)
}

// resolve checks the flags: the model, tokenizer and texts, --candidates
// and out (the command's --out) are required, the numbers in range.
func (o *scoringOptions) resolve(cmd *cobra.Command, out string) error {
	for _, f := range []struct{ name, val string }{{"model", o.model}, {"tokenizer", o.tokenizer}, {"queries", o.queries}, {"corpus", o.corpus}} {
		if f.val == "" {
			return usagef(cmd, "missing required flag --%s", f.name)
		}
	}
	if o.maxLength < 8 || o.batchSize < 1 || o.sessions < 1 || o.threads < 0 || o.depth < 0 {
		return usagef(cmd, "--max-length must be ≥ 8, --batch-size and --sessions ≥ 1, --threads and --depth ≥ 0")
	}
	if o.candidates == "" || out == "" {
		return usagef(cmd, "--candidates and --out are required")
	}
	return nil
}

// engine loads the model and tokenizer.
func (st streams) engine(o *scoringOptions) (*teacher.Engine, *teacher.ONNXScorer, error) {
	tok, sc, warning, err := teacher.Load(o.model, o.tokenizer, teacher.ONNXOptions{LibraryPath: st.ORTLib, Threads: o.threads, Sessions: o.sessions, Device: o.device})
	if err != nil {
		return nil, nil, err
	}
	if warning != "" {
		st.Log.Warn(warning)
	}
	st.Log.Info("model loaded", zap.String("model", o.model), zap.Strings("inputs", sc.Info.InputNames),
		zap.String("output", sc.Info.Output), zap.Int("labels", sc.Info.NumLabels),
		zap.Int("threads", o.threads), zap.Int("sessions", o.sessions), zap.String("device", o.device))
	return &teacher.Engine{Scorer: sc, Tokenizer: tok, MaxLength: o.maxLength, BatchSize: o.batchSize, Workers: o.sessions, NoSort: o.noSort}, sc, nil
}

func activation(info teacher.ModelInfo) string {
	switch info.NumLabels {
	case 1:
		return "none (raw logit)"
	case 2:
		return "logit[1] - logit[0] (two-class head, raw)"
	}
	return "none (raw logit; two-class heads: logit[1] - logit[0])"
}

func (st streams) progress(stage string) *teacher.Progress {
	return &teacher.Progress{Console: st.Console, Stage: stage}
}

// flagHint adds to an error of the teacher (or of loading ONNX Runtime)
// the flags that resolve it.
func flagHint(err error) error {
	var (
		missing *teacher.MissingTextError
		damaged *teacher.DamagedError
		other   *teacher.OtherJobError
		foreign *teacher.ForeignFolderError
		nan     *teacher.NonFiniteScoreError
	)
	hint := ""
	switch {
	case errors.As(err, &missing):
		hint = "; pass --skip-missing to score the rest"
	case errors.As(err, &damaged):
		hint = fmt.Sprintf("\nrun the same command with --repair (or 'distill labels verify --repair %s') to relabel just those chunks", damaged.Dir)
	case errors.As(err, &other):
		hint = "; use another --out, or delete the folder to start over"
	case errors.As(err, &foreign):
		hint = "; use another --out (or --force to write into it)"
	case errors.As(err, &nan):
		hint = "; pass --non-finite skip to drop such pairs (counted)"
	case errors.Is(err, teacher.ErrNoJobInputs):
		hint = "; run its teacher label command again with --repair"
	default:
		return ortHint(err)
	}
	return fmt.Errorf("%w%s", err, hint)
}

// ortHint adds to an error of loading ONNX Runtime the global flag that
// fixes it: the hint every command that runs a model can give (compare and
// retrieve have none of the teacher commands' --skip-missing, --non-finite
// or --repair, so they take only this one).
func ortHint(err error) error {
	switch {
	case errors.Is(err, teacher.ErrNoCUDA):
		return fmt.Errorf("%w; --ort-lib sets the library path", err)
	case errors.Is(err, ortlib.ErrNotFound):
		return fmt.Errorf("%w; --ort-lib PATH (or $%s) names the library", err, ortlib.EnvVar)
	}
	return err
}

// teacherLabelOptions is what `distill teacher label` runs with.
type teacherLabelOptions struct {
	IO         streams
	Scoring    scoringOptions
	Out        string
	Shard      labels.Shard // from --shard or the environment; the zero value: all
	ChunkPairs int
	NonFinite  string
	Force      bool
	Repair     bool
}

func (a *app) teacherLabelCmd() *cobra.Command {
	var opts teacherLabelOptions
	o := &opts.Scoring
	var shard string
	c := &cobra.Command{
		Use:   "label --model M.onnx --tokenizer tokenizer.json --queries Q --corpus C --candidates RUN --out DIR",
		Short: "Write a cross-encoder's raw-logit scores for candidate pairs as Arrow soft labels",
		Long: `Scores every (query, candidate) pair of a TREC run with an ONNX cross-encoder
and writes the raw logits as soft labels: a folder of Arrow IPC files (zstd),
one row per query (query_id, document_ids, scores), with the model's and
tokenizer's sha256, max length, truncation and activation recorded, and a
manifest.json listing the files with their sha256.

Pairs are sorted by length into batches (dynamic padding) and tokenised while
the model runs. Queries are processed in chunks of about --chunk-pairs pairs,
each written atomically when done: a job killed at any moment (kill -9 too)
and started again with the same command skips the finished chunks, and its
labels equal those of an uninterrupted run. A finished job run again does
nothing and says so; one whose files fail verification (see 'distill labels
verify') is an error naming them, and --repair relabels just those chunks. A
folder holding another job's labels is refused (unless that job finished no
chunk), and so is a folder with other files and no job.json, unless --force.
The folder is locked while the job runs: a second job on it fails at once,
naming the first.

Two-class heads ([batch, 2] logits) are scored logit[1] - logit[0]; one-logit
heads by their logit. Scores are never passed through a sigmoid. A NaN or
infinite score stops the job naming the query, the document and the model;
--non-finite skip drops such pairs instead and reports how many.

Sharding: --shard i/N labels the i-th of N deterministic, equal parts of the
queries into DIR/shard-0000i-of-0000N; without the flag the shard is read
from JOB_COMPLETION_INDEX/JOB_COMPLETIONS (Kubernetes Indexed Jobs) or
SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (Slurm arrays). When all shards
are done, 'distill labels merge DIR' checks them and writes DIR/manifest.json.`,
		Example: `  distill bm25 --dataset data/trec-dl19-passage-subset --depth 100 --out bm25.run
  distill teacher label --model ce/model.onnx --tokenizer ce/tokenizer.json \
      --dataset data/trec-dl19-passage-subset --candidates bm25.run --out labels/
  distill teacher label ... --out labels/ --shard 3/8      # one of 8 machines
  distill teacher label ... --device cuda --batch-size 128 --sessions 2`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.resolve(cmd, opts.Out); err != nil {
				return err
			}
			if opts.ChunkPairs < 1 {
				return usagef(cmd, "--chunk-pairs must be ≥ 1")
			}
			if opts.NonFinite != teacher.NonFiniteError && opts.NonFinite != teacher.NonFiniteSkip {
				return usagef(cmd, "--non-finite %q: want error or skip", opts.NonFinite)
			}
			switch {
			case shard != "":
				s, err := teacher.ParseShard(shard)
				if err != nil {
					return usagef(cmd, "--shard: %v", err)
				}
				opts.Shard = s
			default:
				s, ok, err := teacher.ShardFromEnv(os.Getenv)
				if err != nil {
					return usagef(cmd, "%v (--shard i/N)", err)
				}
				if ok {
					opts.Shard = s
					a.log.Info("shard from environment", zap.Stringer("shard", s))
				}
			}
			opts.IO = a.streams()
			return runTeacherLabel(cmd.Context(), &opts)
		},
	}
	o.register(c)
	f := c.Flags()
	f.StringVar(&o.candidates, "candidates", "", "candidate pairs: a TREC run file (qid Q0 docid rank score tag), e.g. from 'distill bm25'")
	f.StringVar(&opts.Out, "out", "", "output folder for the Arrow labels and manifest.json")
	f.StringVar(&shard, "shard", "", "label shard i of N (i/N, 0-based); default from Kubernetes/Slurm env vars")
	f.IntVar(&opts.ChunkPairs, "chunk-pairs", 4096, "pairs per Arrow file: the most work a crash can lose")
	f.BoolVar(&opts.Force, "force", false, "write into an --out folder that holds other files and no job.json")
	f.BoolVar(&opts.Repair, "repair", false, "relabel the chunks of a complete job that fail verification")
	f.StringVar(&opts.NonFinite, "non-finite", teacher.NonFiniteError, "a NaN or infinite score: error (stop, naming the pair and model) or skip (drop the pair, counted)")
	return c
}

// runTeacherLabel labels the candidates (or the finished job's damaged
// chunks) and prints what it did.
func runTeacherLabel(ctx context.Context, opts *teacherLabelOptions) error {
	o, out := &opts.Scoring, opts.IO.Out
	job := &teacher.LabelJob{Model: o.model, Tokenizer: o.tokenizer, Queries: o.queries, Corpus: o.corpus,
		Candidates: o.candidates, Out: opts.Out, MaxLength: o.maxLength, BatchSize: o.batchSize, ChunkPairs: opts.ChunkPairs,
		Inputs:    teacher.InputOptions{Depth: o.depth, SkipMissing: o.skipMissing, Shard: opts.Shard},
		NonFinite: opts.NonFinite, Force: opts.Force, Repair: opts.Repair}
	eng, sc, err := opts.IO.engine(o)
	if err != nil {
		return flagHint(err)
	}
	defer sc.Close()
	job.Activation = activation(sc.Info)
	eng.Progress = opts.IO.progress("labelling")
	res, err := teacher.Label(ctx, job, eng, opts.IO.Log)
	if err != nil {
		if res != nil && ctx.Err() != nil {
			return fmt.Errorf("teacher label: interrupted; finished chunks are kept in %s, run the same command to resume", res.Dir)
		}
		return flagHint(fmt.Errorf("teacher label: %w", err))
	}
	if len(res.Repaired) > 0 {
		fmt.Fprintf(out, "repaired %s: relabelled %s\n", res.Dir, strings.Join(res.Repaired, ", "))
	}
	if res.AlreadyComplete {
		fmt.Fprintf(out, "labels in %s are already complete (%d queries, %d pairs, %d files): nothing to do\n", res.Dir, res.Queries, res.Pairs, res.Chunks)
		return nil
	}
	st := res.Stats
	opts.IO.Log.Info("labelling done", zap.String("out", res.Dir), zap.Int("queries", res.Queries), zap.Int("pairs", res.Pairs),
		zap.Int("pairs_scored", st.Pairs), zap.Int("chunks_resumed", res.Skipped), zap.Float64("seconds", st.Elapsed.Seconds()),
		zap.Float64("pairs_per_s", st.PairsPerSecond()), zap.Float64("padding_waste", st.PaddingWaste()),
		zap.Duration("model_waiting_for_text", st.Starved))
	fmt.Fprintf(out, "labelled %d pairs of %d queries into %s: %d pairs scored now in %.1f s (%.1f pairs/s, %.1f%% padding), %d of %d chunks resumed\n",
		res.Pairs, res.Queries, res.Dir, st.Pairs, st.Elapsed.Seconds(), st.PairsPerSecond(), 100*st.PaddingWaste(), res.Skipped, res.Chunks)
	if res.NonFiniteDropped > 0 {
		fmt.Fprintf(out, "dropped %d pairs whose score was not finite (--non-finite skip)\n", res.NonFiniteDropped)
	}
	if opts.Shard.Count > 1 {
		fmt.Fprintf(out, "shard %s done; when all %d are, run: distill labels merge %s\n", opts.Shard, opts.Shard.Count, opts.Out)
	}
	return nil
}
