package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/training"
)

// studentTrainOptions is what `distill student train` runs with.
type studentTrainOptions struct {
	IO          streams
	Config      training.Config
	Run         runFolderFlags
	DumpBatches string
}

func (a *app) studentTrainCmd() *cobra.Command {
	var opts studentTrainOptions
	flagCfg := training.DefaultConfig()
	c := &cobra.Command{
		Use:   "train --arch colbert|splade --labels DIR --queries Q --corpus C --tokenizer tokenizer.json --out RUN",
		Short: "Distil the teacher's labels into a ColBERT or SPLADE student",
		Long: `Trains a student retriever on teacher labels (distill teacher label) and writes
checkpoints into the run folder --out.

Data. Each labelled query gives (query, positive, negative) triples: the
positive is the teacher's best candidate or, with --qrels, the judged relevant
candidate the teacher scores highest; --negatives negatives (0: all) are drawn
from the other candidates with the teacher's margins. --val-fraction of the
queries, chosen by a seeded hash of the query id, are held out for validation.
Texts become [CLS] text [SEP] of at most --max-query-length /
--max-doc-length tokens; ColBERT adds its [Q]/[D] marker within that length,
pads queries with [MASK] and leaves punctuation out of MaxSim.

Model. --arch colbert (BERT, a --dim projection, MaxSim) or splade (BERT's MLM
head, max-pooled log(1+ReLU), dot product), sized by --layers, --hidden,
--heads, --ffn and --max-position; --init-from loads weights by name from an
ONNX model's initialisers, a .safetensors file or a checkpoint (e.g. a
student starting from the teacher's embeddings and lower layers; tensors of
another shape are skipped and every load is logged).

Objective. --loss marginmse (default; Hofstätter et al. 2020), kldiv (KL
divergence over groups of one positive and --kl-negatives negatives, teacher
temperature --kl-temperature) or pairwise-ce (judgements only, no teacher:
the baseline; needs --qrels). SPLADE adds --lambda-q·FLOPS(queries) +
--lambda-d·FLOPS(documents), ramped up quadratically over --flops-warmup steps.

Optimisation. AdamW (--lr, --weight-decay, --adam-beta1/2, --adam-eps) with
--warmup-steps of linear warm-up then linear decay to the end of --steps,
global-norm gradient clipping at --clip-norm, batches of --batch-size. The
same configuration and --seed give bit-identical weights. A NaN or infinite
loss or gradient stops the run with an error naming the step and the term;
the last checkpoint stays as it was.

Run folder. config.yaml (the resolved configuration), metrics.jsonl (every
--log-every steps: loss terms, lr, grad_norm, examples/s, SPLADE sparsity;
every --eval-every steps: val_loss, val_kendall_tau and, with --qrels,
val_mrr10), step-NNNNNN checkpoints every --save-every steps, at the end and
whenever validation improves (the last --keep-last are kept), best/ (the best
by --best-metric: MRR@10 with --qrels, else validation loss; kendall_tau
picks the step that agrees most with the teacher) and last. --steps 0 writes
the untrained checkpoint, the baseline of every comparison. --resume
continues from the latest checkpoint and ends bit-identical to an
uninterrupted run; --stop-at N stops after step N with a checkpoint (for
time-limited jobs). Ctrl-C saves the steps done and stops.

Config file. --config FILE reads a YAML file whose keys are the flag names
with "_" for "-" (max_query_length: 32); flags given on the command line
override it.`,
		Example: `  distill student train --arch colbert --labels labels/ --queries q.jsonl --corpus corpus.jsonl \
      --tokenizer tokenizer.json --out runs/colbert --steps 20000 --batch-size 32 --lr 5e-5
  distill student train --config splade.yaml --lambda-q 0.1 --out runs/splade
  distill student train --config colbert.yaml --steps 0 --out runs/colbert-untrained
  distill student train --config colbert.yaml --init-from teacher/model.onnx --layers 2 --hidden 384
  distill student train --config colbert.yaml --resume          # after a crash or --stop-at`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := training.ResolveConfig(opts.Run.ConfigPath, cmd.Flags(), &flagCfg)
			if err := opts.Run.check(cmd, err, cfg.Validate); err != nil {
				return err
			}
			opts.Config, opts.IO = cfg, a.streams()
			return runFolderUsage(cmd, runStudentTrain(cmd.Context(), &opts))
		},
	}
	f := c.Flags()
	training.RegisterFlags(f, &flagCfg)
	opts.Run.register(f, true)
	f.StringVar(&opts.DumpBatches, "dump-batches", "", "debugging: write the initial weights and every step's batch to this folder (scripts/torch_train_reference.py replays them)")
	_ = f.MarkHidden("dump-batches")
	addDatasetFlag(c)
	return c
}

// runStudentTrain trains a student into the run folder and prints what it
// did.
func runStudentTrain(ctx context.Context, opts *studentTrainOptions) error {
	cfg := opts.Config
	topts := opts.Run.options(opts.IO)
	topts.DumpBatches = opts.DumpBatches
	start := time.Now()
	res, err := training.Train(ctx, cfg, topts)
	if err != nil {
		return fmt.Errorf("student train: %w", err)
	}
	opts.IO.Log.Info("training done", zap.Int("step", res.Step), zap.String("checkpoint", res.Checkpoint),
		zap.Duration("elapsed", time.Since(start)))
	fmt.Fprintf(opts.IO.Out, "%s student: %d steps (from %d), %d training examples, %d held-out queries; checkpoint %s\n",
		cfg.Arch, res.Step, res.Resumed, res.TrainExamples, res.ValQueries, res.Checkpoint)
	if v := res.Val; !math.IsNaN(v.Loss) {
		loss := cfg.Loss // the validation loss is the training loss, Margin-MSE for kldiv
		if loss == "marginmse" || loss == "kldiv" {
			loss = "Margin-MSE"
		}
		fmt.Fprintf(opts.IO.Out, "validation: %s %.4f, Kendall tau %.4f", loss, v.Loss, v.KendallTau)
		if !math.IsNaN(v.MRR10) {
			fmt.Fprintf(opts.IO.Out, ", MRR@10 %.4f", v.MRR10)
		}
		fmt.Fprintln(opts.IO.Out)
	}
	if b := res.Best; b != nil {
		fmt.Fprintf(opts.IO.Out, "best: %s = %.4f at step %d\n", b.Name, b.Value, b.Step)
	}
	return nil
}

// studentRerankOptions is what `distill student rerank` runs with.
type studentRerankOptions struct {
	IO                   streams
	Checkpoint           string
	Queries, Corpus      string
	Candidates, Out, Tag string
	Depth                int
	SkipMissing          bool
}

func (a *app) studentRerankCmd() *cobra.Command {
	var opts studentRerankOptions
	c := &cobra.Command{
		Use:   "rerank --checkpoint CKPT --queries Q --corpus C --candidates RUN --out RUN",
		Short: "Rerank a candidate run with a trained student",
		Long: `Scores every (query, candidate) pair of a TREC run with a student checkpoint
(--checkpoint: a checkpoint folder, or a run folder for its latest
checkpoint) and writes the candidates ordered by the student's score as a TREC
run (ties by document id). Texts are encoded exactly as in training, with the
tokenizer saved in the checkpoint; each query's candidates are scored in
batches. --depth reranks only the top K candidates of each query;
--skip-missing drops candidates without text instead of failing.`,
		Example: `  distill student rerank --checkpoint runs/colbert/best --queries q.jsonl --corpus corpus.jsonl \
      --candidates bm25.run --out colbert.run
  distill eval --qrels qrels.tsv --run colbert.run`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := required(cmd, "checkpoint", "queries", "corpus", "candidates", "out"); err != nil {
				return err
			}
			if opts.Depth < 0 {
				return usagef(cmd, "--depth must be ≥ 0")
			}
			opts.IO = a.streams()
			return runStudentRerank(cmd.Context(), &opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Checkpoint, "checkpoint", "", "student checkpoint folder, or a run folder (its latest checkpoint)")
	addTextFlags(f, &opts.Queries, &opts.Corpus)
	f.StringVar(&opts.Candidates, "candidates", "", "candidate run to rerank (TREC format)")
	f.StringVar(&opts.Out, "out", "", "output TREC run")
	f.StringVar(&opts.Tag, "tag", "distill-student", "run tag (column 6)")
	f.IntVar(&opts.Depth, "depth", 0, "rerank the top K candidates per query (0: all)")
	f.BoolVar(&opts.SkipMissing, "skip-missing", false, "drop candidates whose text is missing instead of failing")
	addDatasetFlag(c)
	return c
}

// runStudentRerank scores the candidates with the student and writes them
// in its order.
func runStudentRerank(ctx context.Context, opts *studentRerankOptions) error {
	s, err := ranker.Load(opts.Checkpoint)
	if err != nil {
		return fmt.Errorf("student rerank: %w", err)
	}
	cands, err := datasets.ReadRun(opts.Candidates)
	if err != nil {
		return fmt.Errorf("student rerank: %w", err)
	}
	want := datasets.IDSet{}
	for _, es := range cands {
		for _, e := range es {
			want[e.DocID] = struct{}{}
		}
	}
	texts, err := datasets.ReadTexts(opts.Queries, opts.Corpus, datasets.TextWant{Docs: want})
	if err != nil {
		return fmt.Errorf("student rerank: %w", err)
	}
	start := time.Now()
	pairs := 0
	for _, es := range cands {
		if opts.Depth > 0 {
			pairs += min(len(es), opts.Depth)
		} else {
			pairs += len(es)
		}
	}
	bar := opts.IO.Console.Start("reranking", 0, int64(pairs), "pairs")
	res, err := s.Rerank(ctx, texts, cands, ranker.RerankOptions{Depth: opts.Depth, Tag: opts.Tag, SkipMissing: opts.SkipMissing,
		Progress: func(done int) { bar.Set(int64(done), "") }})
	bar.Done()
	if err != nil {
		return fmt.Errorf("student rerank: %w", err)
	}
	if err := datasets.WriteRun(opts.Out, res.Run, opts.Tag); err != nil {
		return fmt.Errorf("student rerank: %w", err)
	}
	el := time.Since(start).Seconds()
	opts.IO.Log.Info("reranked", zap.String("checkpoint", s.Checkpoint.Dir), zap.Int("queries", res.Queries), zap.Int("pairs", res.Pairs),
		zap.Int("skipped_docs", res.SkippedDocs), zap.Int("skipped_queries", res.SkippedQueries), zap.Float64("seconds", el))
	fmt.Fprintf(opts.IO.Out, "reranked %d pairs of %d queries with %s (%s) into %s in %.1f s (%.1f pairs/s)\n",
		res.Pairs, res.Queries, s.Checkpoint.Dir, s.Kind(), opts.Out, el, float64(res.Pairs)/max(el, 1e-9))
	return nil
}
