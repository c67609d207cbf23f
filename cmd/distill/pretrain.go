package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/training"
)

// pretrainOptions is what `distill pretrain` runs with.
type pretrainOptions struct {
	IO     streams
	Config training.PretrainConfig
	Run    runFolderFlags
}

func (a *app) pretrainCmd() *cobra.Command {
	var opts pretrainOptions
	flagCfg := training.DefaultPretrainConfig()
	c := &cobra.Command{
		Use:   "pretrain --corpus C --tokenizer tokenizer.json --out RUN",
		Short: "Pretrain a BERT encoder on a corpus with masked language modelling",
		Long: `Pretrains a BERT encoder (Hugging Face BertForMaskedLM: the encoder and the
MLM head, decoder tied to the word embeddings) on the texts of --corpus, for
teachers and students that cannot start from downloaded weights: pass the
run's best/ (or the run folder) to 'distill teacher finetune --init-from' or
'distill student train --init-from'. Cross-encoders and ColBERT take the
encoder (bert.*), SPLADE the encoder and the MLM head (cls.predictions.*).

Data. Each document becomes sequences of at most --max-length tokens,
"[CLS] title [SEP] body [SEP]" with token types 0 and 1 (as a cross-encoder
reads "[CLS] query [SEP] document [SEP]"), the body cut into chunks at word
boundaries, the title repeated in each; documents without a title give
"[CLS] body [SEP]". --val-fraction of the documents (seeded hash of the id)
are held out for a validation loss.

Masking (BERT, Devlin et al. 2019). round(--mask-prob × length) tokens of
each sequence, at most --max-predictions, are chosen (never [CLS] or [SEP]);
with --whole-word-mask (default) the pieces of a word ("##" word pieces) are
chosen together. Each chosen token becomes [MASK] 80% of the time, stays
itself 10%, becomes a random token 10%. Masks are drawn anew every step from
--seed (dynamic masking), so --resume is bit-identical.

Loss. Cross-entropy of the original tokens at the masked positions only:
their hidden states are gathered before the MLM head, and a fused kernel
computes the vocabulary logits, the softmax and the loss.

Optimisation and run folder are those of 'distill student train': AdamW with
warm-up and linear decay, --clip-norm, config.yaml, metrics.jsonl (loss and
val_loss, the validation masked-LM loss), step-NNNNNN checkpoints, best/ (the
lowest validation loss), last, --resume, --stop-at, a YAML --config whose
keys are the flags.`,
		Example: `  distill pretrain --corpus data/cranfield-beir/corpus.jsonl \
      --tokenizer data/tokenizers/bert-base-uncased/tokenizer.json --out runs/mlm \
      --layers 2 --hidden 128 --heads 4 --ffn 512 --steps 600 --batch-size 32 --lr 1e-3
  distill teacher finetune ... --layers 2 --hidden 128 --heads 4 --ffn 512 --init-from runs/mlm/best
  distill student train --arch splade ... --init-from runs/mlm/best`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := training.ResolvePretrainConfig(opts.Run.ConfigPath, cmd.Flags(), &flagCfg)
			if err := opts.Run.check(cmd, err, cfg.Validate); err != nil {
				return err
			}
			opts.Config, opts.IO = cfg, a.streams()
			return runFolderUsage(cmd, runPretrain(cmd.Context(), &opts))
		},
	}
	f := c.Flags()
	training.RegisterPretrainFlags(f, &flagCfg)
	opts.Run.register(f, false)
	return c
}

// runPretrain pretrains into the run folder and prints what it did.
func runPretrain(ctx context.Context, opts *pretrainOptions) error {
	start := time.Now()
	res, err := training.Pretrain(ctx, opts.Config, opts.Run.options(opts.IO))
	if err != nil {
		return fmt.Errorf("pretrain: %w", err)
	}
	opts.IO.Log.Info("pretraining done", zap.Int("step", res.Step), zap.String("checkpoint", res.Checkpoint),
		zap.Duration("elapsed", time.Since(start)))
	fmt.Fprintf(opts.IO.Out, "masked language model: %d steps (from %d), %d training sequences, %d held out; checkpoint %s\n",
		res.Step, res.Resumed, res.TrainSequences, res.ValSequences, res.Checkpoint)
	if !math.IsNaN(res.ValLoss) {
		fmt.Fprintf(opts.IO.Out, "validation masked-LM loss %.4f (perplexity %.1f)\n", res.ValLoss, math.Exp(res.ValLoss))
	}
	if b := res.Best; b != nil {
		fmt.Fprintf(opts.IO.Out, "best: %s = %.4f at step %d (%s)\n", b.Name, b.Value, b.Step, filepath.Join(opts.Config.Out, "best"))
	}
	return nil
}
