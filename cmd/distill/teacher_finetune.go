package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/training"
)

// teacherFinetuneOptions is what `distill teacher finetune` runs with.
type teacherFinetuneOptions struct {
	IO         streams
	Config     training.Config
	Run        runFolderFlags
	Candidates string // the first-stage run of hard negatives
	Depth      int    // candidates per query taken from it
	Weak       training.WeakOptions
}

func (a *app) teacherFinetuneCmd() *cobra.Command {
	opts := teacherFinetuneOptions{
		Weak: training.WeakOptions{PseudoQueries: 2000, Kind: "mixed", Steps: 300, Loss: "pairwise-ce", Positives: 1},
	}
	flagCfg := training.DefaultConfig()
	flagCfg.Loss = "pairwise-ce"
	flagCfg.MaxQueryLength, flagCfg.MaxDocLength = 32, 224
	flagCfg.AllPositives = true
	c := &cobra.Command{
		Use:   "finetune --queries Q --corpus C --qrels QRELS --candidates RUN --tokenizer tokenizer.json --out RUN",
		Short: "Train a BERT cross-encoder on relevance judgements with first-stage hard negatives",
		Long: `Trains a BERT-style cross-encoder (BertForSequenceClassification: the student
encoder reading "[CLS] query [SEP] document [SEP]" with segment ids, a pooler
and a one-logit classifier on [CLS]) on relevance judgements: the positives
are each query's judged relevant documents (relevance ≥ 1; all of them, unless
--all-positives=false), the negatives its
--candidates (e.g. distill bm25's top --depth, the hard negatives) that are
not judged relevant.

Loss (--loss): pairwise-ce (default), softplus(s_neg − s_pos), the RankNet /
ColBERT-v1 pairwise softmax cross-entropy, which only asks each positive to
beat the negatives; or pointwise-bce, binary cross-entropy of each pair's
logit against its label (monoBERT), which also calibrates the scores.

Weak supervision (--weak bm25, Dehghani et al. 2017). Before the
judgements, a first phase trains the cross-encoder on BM25's rankings of
--pseudo-queries pseudo-queries sampled from the corpus (--pseudo-query-kind:
a document's title, one of its sentences, a random span of 4–16 of its words,
or mixed), for --weak-steps steps with --weak-loss pairwise-ce (BM25's top
--weak-positives documents against lower-ranked candidates) or marginmse
(the cross-encoder's margins regress on BM25's score margins). The phase runs
in --out/weak (pseudo-queries.jsonl, bm25.run, labels, checkpoints, its own
metrics.jsonl); the fine-tuning on judgements then starts from its last
checkpoint. --init-from initialises the weak phase (e.g. from 'distill
pretrain'); --resume resumes whichever phase was stopped; --stop-at applies to
the second phase.

Validation on held-out queries (--val-fraction): MRR@10 against the
judgements and the validation loss, the training loss (--loss) on held-out
pairs, on the training loss's scale. Training logs the loss, learning rate,
gradient norm and examples/s, and warns when the run is not learning (loss
flat, gradient norm under 1e-3 for 20 steps). The rest is shared with
'distill student train': AdamW, warm-up and decay, metrics.jsonl, checkpoints
in --out with best/ (step 0 included) and last, --resume, --steps 0,
--init-from, a YAML --config whose keys are the flags. The sequence length
is --max-query-length + --max-doc-length − 1 ([SEP] shared).

This is how a domain teacher is made when none can be downloaded: fine-tune,
then 'distill export onnx' and use the ONNX model with 'distill teacher label'
like any Hugging Face cross-encoder.`,
		Example: `  distill bm25 --dataset data/cranfield-beir --depth 100 --out bm25.run
  distill teacher finetune --queries splits/queries-train.jsonl --corpus data/cranfield-beir/corpus.jsonl \
      --qrels data/cranfield-beir/qrels/test.tsv --candidates bm25.run \
      --tokenizer data/tokenizers/bert-base-uncased/tokenizer.json --out runs/teacher \
      --layers 2 --hidden 128 --heads 4 --ffn 512 --steps 600 --batch-size 16 --lr 3e-4
  distill export onnx --checkpoint runs/teacher/best --out teacher/model.onnx
  distill pretrain --corpus data/cranfield-beir/corpus.jsonl --tokenizer ... --out runs/mlm --layers 2 --hidden 128 --heads 4 --ffn 512
  distill teacher finetune ... --init-from runs/mlm/best --weak bm25 --pseudo-queries 2000 --pseudo-query-kind mixed --weak-steps 300`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := training.ResolveConfig(opts.Run.ConfigPath, cmd.Flags(), &flagCfg)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			fromFile := opts.Run.ConfigPath != ""
			if !cmd.Flags().Changed("loss") && cfg.Loss == "marginmse" {
				cfg.Loss = "pairwise-ce" // no teacher margins to regress on
			}
			if !cmd.Flags().Changed("max-doc-length") && !fromFile {
				cfg.MaxDocLength = flagCfg.MaxDocLength
			}
			if !cmd.Flags().Changed("all-positives") && !fromFile {
				cfg.AllPositives = true
			}
			cfg.Arch = student.KindCrossEncoder
			if opts.Candidates == "" || cfg.Qrels == "" || cfg.Out == "" {
				return usagef(cmd, "--candidates, --qrels and --out are required")
			}
			if cfg.Loss != "pairwise-ce" && cfg.Loss != "pointwise-bce" {
				return usagef(cmd, "--loss %q: a teacher is fine-tuned on judgements, want pairwise-ce or pointwise-bce", cfg.Loss)
			}
			if opts.Weak.Depth == 0 {
				opts.Weak.Depth = opts.Depth
			}
			if err := opts.Weak.Validate(); opts.Weak.Source != "" && err != nil {
				return usagef(cmd, "%v", err)
			}
			cfg.Labels = filepath.Join(cfg.Out, candidatesDir)
			if err := opts.Run.check(cmd, nil, cfg.Validate); err != nil {
				return err
			}
			opts.Config, opts.IO = cfg, a.streams()
			return runFolderUsage(cmd, runTeacherFinetune(cmd.Context(), &opts))
		},
	}
	f := c.Flags()
	training.RegisterFlags(f, &flagCfg)
	for _, hidden := range []string{"arch", "labels", "dim", "lambda-q", "lambda-d", "flops-warmup", "kl-negatives", "kl-temperature"} {
		f.MarkHidden(hidden)
	}
	f.Lookup("loss").Usage = "pairwise-ce (softplus(s_neg − s_pos), the default) or pointwise-bce (monoBERT)"
	f.Lookup("loss").DefValue = "pairwise-ce"
	f.Lookup("best-metric").Usage = "validation metric that chooses best/: mrr10, loss, or auto (mrr10)"
	opts.Run.register(f, true)
	f.StringVar(&opts.Candidates, "candidates", "", "first-stage run whose candidates are the hard negatives (e.g. distill bm25)")
	f.IntVar(&opts.Depth, "depth", 100, "candidates per query taken from --candidates")
	w := &opts.Weak
	f.StringVar(&w.Source, "weak", "", "weak supervision before the judgements: bm25 (train first on BM25's rankings of pseudo-queries)")
	f.IntVar(&w.PseudoQueries, "pseudo-queries", w.PseudoQueries, "--weak: pseudo-queries sampled from the corpus")
	f.StringVar(&w.Kind, "pseudo-query-kind", w.Kind, "--weak: title, sentence, span (4–16 words) or mixed")
	f.IntVar(&w.Steps, "weak-steps", w.Steps, "--weak: optimizer steps of the weak phase")
	f.StringVar(&w.Loss, "weak-loss", w.Loss, "--weak: pairwise-ce (BM25's top documents vs the rest) or marginmse (BM25's score margins)")
	f.IntVar(&w.Positives, "weak-positives", w.Positives, "--weak with pairwise-ce: BM25's top this many are the positives")
	f.IntVar(&w.Depth, "weak-depth", 0, "--weak: BM25 candidates per pseudo-query (0: --depth)")
	f.Float64Var(&w.LR, "weak-lr", 0, "--weak: learning rate of the weak phase (0: --lr)")
	addDatasetFlag(c)
	return c
}

// candidatesDir is the labels folder, in the run folder, of the
// judgements and hard negatives the cross-encoder trains on.
const candidatesDir = "finetune-candidates"

// runTeacherFinetune writes the training pairs, runs the weak phase when
// asked, fine-tunes the cross-encoder and prints what it did.
func runTeacherFinetune(ctx context.Context, opts *teacherFinetuneOptions) error {
	cfg, log := opts.Config, opts.IO.Log
	run, err := datasets.ReadRun(opts.Candidates)
	if err != nil {
		return fmt.Errorf("teacher finetune: %w", err)
	}
	qrels, err := datasets.ReadQrels(cfg.Qrels)
	if err != nil {
		return fmt.Errorf("teacher finetune: %w", err)
	}
	qs, err := datasets.ReadQueries(cfg.Queries)
	if err != nil {
		return fmt.Errorf("teacher finetune: %w", err)
	}
	want := map[string]bool{}
	for _, q := range qs {
		want[q.ID] = true
	}
	lock, err := fsutil.LockDir(cfg.Out)
	if err != nil {
		return fmt.Errorf("teacher finetune: %w", err)
	}
	defer lock.Unlock()
	m, err := training.CandidateLabels(run, qrels, want, opts.Depth, cfg.Labels)
	if err != nil {
		return fmt.Errorf("teacher finetune: %w", err)
	}
	log.Info("training data", zap.Int("queries", m.Queries), zap.Int("candidates", m.Pairs), zap.String("from", opts.Candidates))
	start := time.Now()
	if opts.Weak.Source != "" {
		wres, from, err := training.TrainWeak(ctx, cfg, opts.Weak, training.Options{Log: log, Console: opts.IO.Console,
			Resume: opts.Run.Resume})
		if err != nil {
			return fmt.Errorf("teacher finetune: weak phase: %w", err)
		}
		fmt.Fprintf(opts.IO.Out, "weak phase: %d steps on BM25's rankings of %d pseudo-query examples; checkpoint %s\n",
			wres.Step, wres.TrainExamples, from)
		cfg.InitFrom = from
	}
	topts := opts.Run.options(opts.IO)
	topts.OutLocked, topts.OwnFiles = true, []string{candidatesDir, training.WeakDir}
	res, err := training.Train(ctx, cfg, topts)
	if err != nil {
		return fmt.Errorf("teacher finetune: %w", err)
	}
	log.Info("fine-tuning done", zap.Int("step", res.Step), zap.String("checkpoint", res.Checkpoint), zap.Duration("elapsed", time.Since(start)))
	fmt.Fprintf(opts.IO.Out, "cross-encoder: %d steps, %d training examples, %d held-out queries; checkpoint %s\n",
		res.Step, res.TrainExamples, res.ValQueries, res.Checkpoint)
	if b := res.Best; b != nil {
		fmt.Fprintf(opts.IO.Out, "best: %s = %.4f at step %d (%s)\n", b.Name, b.Value, b.Step, filepath.Join(cfg.Out, "best"))
	}
	return nil
}
