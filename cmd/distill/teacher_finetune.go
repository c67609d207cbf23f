package main

import (
	"errors"
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

func (a *app) teacherFinetuneCmd() *cobra.Command {
	flagCfg := training.DefaultConfig()
	flagCfg.Loss = "pairwise-ce"
	flagCfg.MaxQueryLength, flagCfg.MaxDocLength = 32, 224
	flagCfg.AllPositives = true
	var configPath, candidates string
	var depth int
	var resume, force bool
	var stopAt int
	weak := training.WeakOptions{PseudoQueries: 2000, Kind: "mixed", Steps: 300, Loss: "pairwise-ce", Positives: 1}
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
			cfg, err := training.ResolveConfig(configPath, cmd.Flags(), &flagCfg)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			if !cmd.Flags().Changed("loss") && cfg.Loss == "marginmse" {
				cfg.Loss = "pairwise-ce" // no teacher margins to regress on
			}
			if !cmd.Flags().Changed("max-doc-length") && configPath == "" {
				cfg.MaxDocLength = flagCfg.MaxDocLength
			}
			if !cmd.Flags().Changed("all-positives") && configPath == "" {
				cfg.AllPositives = true
			}
			cfg.Arch = student.KindCrossEncoder
			if candidates == "" || cfg.Qrels == "" || cfg.Out == "" {
				return usagef(cmd, "--candidates, --qrels and --out are required")
			}
			if cfg.Loss != "pairwise-ce" && cfg.Loss != "pointwise-bce" {
				return usagef(cmd, "--loss %q: a teacher is fine-tuned on judgements, want pairwise-ce or pointwise-bce", cfg.Loss)
			}
			if weak.Depth == 0 {
				weak.Depth = depth
			}
			if err := weak.Validate(); weak.Source != "" && err != nil {
				return usagef(cmd, "%v", err)
			}
			run, err := datasets.ReadRun(candidates)
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
			cfg.Labels = filepath.Join(cfg.Out, "finetune-candidates")
			m, err := training.CandidateLabels(run, qrels, want, depth, cfg.Labels)
			if err != nil {
				return fmt.Errorf("teacher finetune: %w", err)
			}
			a.log.Info("training data", zap.Int("queries", m.Queries), zap.Int("candidates", m.Pairs), zap.String("from", candidates))
			if err := cfg.Validate(); err != nil {
				return usagef(cmd, "%v", err)
			}
			start := time.Now()
			if weak.Source != "" {
				wres, from, err := training.TrainWeak(cmd.Context(), cfg, weak, training.Options{Log: a.log, Console: a.console,
					Resume: resume})
				if err != nil {
					if errors.Is(err, training.ErrRunExists) {
						return usagef(cmd, "%v", err)
					}
					return fmt.Errorf("teacher finetune: weak phase: %w", err)
				}
				fmt.Fprintf(a.stdout, "weak phase: %d steps on BM25's rankings of %d pseudo-query examples; checkpoint %s\n",
					wres.Step, wres.TrainExamples, from)
				cfg.InitFrom = from
			}
			res, err := training.Train(cmd.Context(), cfg, training.Options{Log: a.log, Console: a.console,
				Resume: resume, Force: force, StopAt: stopAt, OutLocked: true,
				OwnFiles: []string{"finetune-candidates", training.WeakDir}})
			if err != nil {
				if errors.Is(err, training.ErrRunExists) {
					return usagef(cmd, "%v", err)
				}
				return fmt.Errorf("teacher finetune: %w", err)
			}
			a.log.Info("fine-tuning done", zap.Int("step", res.Step), zap.String("checkpoint", res.Checkpoint), zap.Duration("elapsed", time.Since(start)))
			fmt.Fprintf(a.stdout, "cross-encoder: %d steps, %d training examples, %d held-out queries; checkpoint %s\n",
				res.Step, res.TrainExamples, res.ValQueries, res.Checkpoint)
			if b := res.Best; b != nil {
				fmt.Fprintf(a.stdout, "best: %s = %.4f at step %d (%s)\n", b.Name, b.Value, b.Step, filepath.Join(cfg.Out, "best"))
			}
			return nil
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
	f.StringVar(&configPath, "config", "", "YAML config file (keys are the flag names with _ for -); flags override it")
	f.StringVar(&candidates, "candidates", "", "first-stage run whose candidates are the hard negatives (e.g. distill bm25)")
	f.IntVar(&depth, "depth", 100, "candidates per query taken from --candidates")
	f.BoolVar(&resume, "resume", false, "continue from the run folder's latest checkpoint")
	f.BoolVar(&force, "force", false, "train into an --out folder that holds other files (or another run's config.yaml/metrics.jsonl without a checkpoint)")
	f.IntVar(&stopAt, "stop-at", 0, "stop after this step with a checkpoint")
	f.StringVar(&weak.Source, "weak", "", "weak supervision before the judgements: bm25 (train first on BM25's rankings of pseudo-queries)")
	f.IntVar(&weak.PseudoQueries, "pseudo-queries", weak.PseudoQueries, "--weak: pseudo-queries sampled from the corpus")
	f.StringVar(&weak.Kind, "pseudo-query-kind", weak.Kind, "--weak: title, sentence, span (4–16 words) or mixed")
	f.IntVar(&weak.Steps, "weak-steps", weak.Steps, "--weak: optimizer steps of the weak phase")
	f.StringVar(&weak.Loss, "weak-loss", weak.Loss, "--weak: pairwise-ce (BM25's top documents vs the rest) or marginmse (BM25's score margins)")
	f.IntVar(&weak.Positives, "weak-positives", weak.Positives, "--weak with pairwise-ce: BM25's top this many are the positives")
	f.IntVar(&weak.Depth, "weak-depth", 0, "--weak: BM25 candidates per pseudo-query (0: --depth)")
	f.Float64Var(&weak.LR, "weak-lr", 0, "--weak: learning rate of the weak phase (0: --lr)")
	addDatasetFlag(c)
	return c
}
