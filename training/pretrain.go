package training

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
	"go.uber.org/zap"
	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/student/nn"
	"github.com/distill-ml/distill/tokenizer"
)

// PretrainConfig is a masked-language-model pretraining run (distill
// pretrain). Every field is a flag (the YAML key with "-" for "_"); the
// names, defaults and meaning of the shared ones are those of Config.
type PretrainConfig struct {
	Corpus    string `yaml:"corpus" json:"corpus" help:"corpus to pretrain on: BEIR corpus.jsonl or TSV"`
	Tokenizer string `yaml:"tokenizer" json:"tokenizer" help:"tokenizer.json (WordPiece); its vocabulary sizes the model"`
	Out       string `yaml:"out" json:"out" help:"run folder for checkpoints, config.yaml and metrics.jsonl"`

	Steps       int     `yaml:"steps" json:"steps" help:"optimizer steps"`
	BatchSize   int     `yaml:"batch_size" json:"batch_size" help:"sequences per step"`
	LR          float64 `yaml:"lr" json:"lr" help:"peak learning rate of AdamW"`
	Seed        uint64  `yaml:"seed" json:"seed" help:"seed of the initialisation, the validation split, the data order and the masks"`
	WarmupSteps int     `yaml:"warmup_steps" json:"warmup_steps" help:"steps of linear learning-rate warm-up (-1: 10% of --steps)"`
	WeightDecay float64 `yaml:"weight_decay" json:"weight_decay" help:"AdamW decoupled weight decay (not applied to biases and LayerNorm)"`
	ClipNorm    float64 `yaml:"clip_norm" json:"clip_norm" help:"clip the global gradient norm to this (0: no clipping)"`
	AdamBeta1   float64 `yaml:"adam_beta1" json:"adam_beta1" help:"AdamW β1"`
	AdamBeta2   float64 `yaml:"adam_beta2" json:"adam_beta2" help:"AdamW β2"`
	AdamEps     float64 `yaml:"adam_eps" json:"adam_eps" help:"AdamW ε"`

	Layers      int     `yaml:"layers" json:"layers" help:"transformer layers"`
	Hidden      int     `yaml:"hidden" json:"hidden" help:"hidden size"`
	Heads       int     `yaml:"heads" json:"heads" help:"attention heads (must divide --hidden)"`
	FFN         int     `yaml:"ffn" json:"ffn" help:"feed-forward size"`
	MaxPosition int     `yaml:"max_position" json:"max_position" help:"position embeddings (keep 512 so that students and teachers of any input length load them)"`
	Dropout     float64 `yaml:"dropout" json:"dropout,omitempty" help:"training dropout on the embeddings and each attention and feed-forward output (0: none)"`

	MaxLength      int     `yaml:"max_length" json:"max_length" help:"tokens per sequence, [CLS] and [SEP]s included"`
	MaskProb       float64 `yaml:"mask_prob" json:"mask_prob" help:"share of each sequence's tokens to predict (BERT: 0.15); each becomes [MASK] 80%, itself 10%, a random token 10% of the time"`
	MaxPredictions int     `yaml:"max_predictions" json:"max_predictions" help:"at most this many predictions per sequence (0: round(max-length × mask-prob) + 1)"`
	WholeWordMask  bool    `yaml:"whole_word_mask" json:"whole_word_mask" help:"mask all pieces of a word together (whole-word masking)"`
	ValFraction    float64 `yaml:"val_fraction" json:"val_fraction" help:"fraction of documents held out for the validation loss (seeded hash of the document id)"`

	EvalEvery int `yaml:"eval_every" json:"eval_every" help:"validate every K steps (0: only at the end)"`
	SaveEvery int `yaml:"save_every" json:"save_every" help:"checkpoint every N steps (and at the end)"`
	KeepLast  int `yaml:"keep_last" json:"keep_last" help:"step checkpoints to keep (best/ is kept apart)"`
	LogEvery  int `yaml:"log_every" json:"log_every" help:"write a metrics.jsonl line every N steps"`
}

// DefaultPretrainConfig returns the defaults: BERT's masking (15%, whole
// words) on sequences of 128 tokens, AdamW at 5e-4 with 10% warm-up,
// batches of 32, the student encoder's size.
func DefaultPretrainConfig() PretrainConfig {
	c, enc := DefaultConfig(), student.StudentEncoder()
	return PretrainConfig{Steps: 1000, BatchSize: 32, LR: 5e-4, Seed: 42, WarmupSteps: -1, WeightDecay: 0.01, ClipNorm: 1,
		AdamBeta1: 0.9, AdamBeta2: 0.999, AdamEps: 1e-6,
		Layers: enc.Layers, Hidden: enc.Hidden, Heads: enc.Heads, FFN: enc.FFN, MaxPosition: enc.MaxPosition,
		MaxLength: 128, MaskProb: 0.15, WholeWordMask: true, ValFraction: 0.05,
		EvalEvery: c.EvalEvery, SaveEvery: c.SaveEvery, KeepLast: c.KeepLast, LogEvery: c.LogEvery}
}

// RegisterPretrainFlags adds one flag per PretrainConfig field to fs,
// bound to the fields of c, whose values are the defaults shown.
func RegisterPretrainFlags(fs *pflag.FlagSet, c *PretrainConfig) { registerFlags(fs, c) }

// ResolvePretrainConfig returns the defaults, overridden by the YAML file
// at path (when not empty), overridden by the flags of fs set on the
// command line (fromFlags is the PretrainConfig bound to fs).
func ResolvePretrainConfig(path string, fs *pflag.FlagSet, fromFlags *PretrainConfig) (PretrainConfig, error) {
	c := DefaultPretrainConfig()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("training: config file: %w", err)
		}
		if err := decodeConfigYAML(path, data, &c); err != nil {
			return c, err
		}
	}
	setChangedFlags(&c, fromFlags, fs)
	return c, nil
}

// Validate reports the first setting that is missing or out of range.
func (c PretrainConfig) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	for _, f := range []struct{ name, v string }{{"corpus", c.Corpus}, {"tokenizer", c.Tokenizer}, {"out", c.Out}} {
		if f.v == "" {
			return bad("%s is required", f.name)
		}
	}
	if err := checkInts([]intSetting{{"steps", c.Steps, 1}, {"batch_size", c.BatchSize, 1}, {"warmup_steps", c.WarmupSteps, -1},
		{"layers", c.Layers, 1}, {"hidden", c.Hidden, 1}, {"heads", c.Heads, 1}, {"ffn", c.FFN, 1},
		{"max_length", c.MaxLength, 4}, {"max_predictions", c.MaxPredictions, 0}, {"eval_every", c.EvalEvery, 0},
		{"save_every", c.SaveEvery, 1}, {"keep_last", c.KeepLast, 1}, {"log_every", c.LogEvery, 1}}); err != nil {
		return err
	}
	if c.Hidden%c.Heads != 0 {
		return bad("hidden %d is not a multiple of heads %d", c.Hidden, c.Heads)
	}
	if c.MaxPosition < c.MaxLength {
		return bad("max_position = %d is shorter than max_length %d", c.MaxPosition, c.MaxLength)
	}
	if err := checkFloats([]floatSetting{{"lr", c.LR, 0, true}, {"weight_decay", c.WeightDecay, 0, false}, {"clip_norm", c.ClipNorm, 0, false},
		{"adam_eps", c.AdamEps, 0, true}}); err != nil {
		return err
	}
	if err := checkBetas(c.AdamBeta1, c.AdamBeta2); err != nil {
		return err
	}
	if !(c.MaskProb > 0 && c.MaskProb < 1) {
		return bad("mask_prob = %g, want 0 < p < 1", c.MaskProb)
	}
	if !(c.ValFraction >= 0 && c.ValFraction < 1) {
		return bad("val_fraction = %g, want 0 ≤ f < 1", c.ValFraction)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return bad("dropout = %g, want 0 ≤ p < 1", c.Dropout)
	}
	return nil
}

func (c PretrainConfig) maxPredictions() int {
	if c.MaxPredictions > 0 {
		return c.MaxPredictions
	}
	return int(math.Round(float64(c.MaxLength)*c.MaskProb)) + 1
}

func (c PretrainConfig) masking() Masking {
	return Masking{Prob: c.MaskProb, MaxPredictions: c.maxPredictions(), WholeWord: c.WholeWordMask}
}

func (c PretrainConfig) warmup() int {
	if c.WarmupSteps >= 0 {
		return c.WarmupSteps
	}
	return c.Steps / 10
}

// PretrainArchitecture is the checkpoint architecture of a pretraining run.
const PretrainArchitecture = "bert-mlm"

// pretrainModelConfig is the model part of a pretraining checkpoint's
// config.json: a Hugging Face BertConfig for BertForMaskedLM, and the run's
// configuration.
type pretrainModelConfig struct {
	ModelType     string   `json:"model_type"`
	Architectures []string `json:"architectures"`
	student.EncoderConfig
	Pretraining  PretrainConfig `json:"pretraining"`
	CorpusSHA256 string         `json:"corpus_sha256"`
}

// PretrainResult summarises a finished (or stopped) pretraining run.
type PretrainResult struct {
	Step, Resumed                int
	Checkpoint                   string
	Loss, ValLoss                float64 // the last step's training loss and the last validation loss (NaN: none)
	Best                         *checkpoints.Metric
	TrainSequences, ValSequences int
}

// pretrainer is one pretraining run's state.
type pretrainer struct {
	runFolder
	c          PretrainConfig
	opts       Options
	tokRaw     []byte
	corpusSHA  string
	vocab      student.EncoderConfig
	mv         mlmVocab
	train, val []MLMSequence
	valBatches []*student.MLMBatch
	ord        *order
	model      *student.MaskedLM
	params     []student.Param
	loss       *G.Node
	aux        student.MLMAux
	vm         G.VM
	opt        *AdamW
	mlog       *metricsLog
}

// maskSalt and valSalt separate the mask generators from the other uses of
// the seed.
const (
	maskSalt = 0x6d61736b // "mask"
	valSalt  = 0x76616c   // "val"
)

// Pretrain runs (or resumes) masked-language-model pretraining of a BERT
// encoder (BertForMaskedLM, see student.MaskedLM) on a corpus. Masks are
// drawn anew for every step (dynamic masking, as RoBERTa) from the seed and
// the sequence's position in the data order, so a resumed run is
// bit-identical to an uninterrupted one. The checkpoints carry Hugging Face
// BertForMaskedLM names (bert.*, cls.predictions.*): --init-from of
// student train and teacher finetune loads them.
func Pretrain(ctx context.Context, c PretrainConfig, opts Options) (*PretrainResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	lock, err := fsutil.LockDir(c.Out)
	if err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	defer lock.Unlock()
	p := &pretrainer{runFolder: newRunFolder(c.Out, c.KeepLast, opts.Log), c: c, opts: opts}
	start, err := p.setup()
	if err != nil {
		return nil, err
	}
	defer p.vm.Close()
	defer p.mlog.Close()
	res := &PretrainResult{Step: start, Resumed: start, Checkpoint: p.last, Loss: nan, ValLoss: nan, Best: p.best,
		TrainSequences: len(p.train), ValSequences: len(p.val)}
	if start == 0 {
		if err := p.baseline(res); err != nil {
			return res, err
		}
	}
	sched := schedule{steps: c.Steps, logEvery: c.LogEvery, evalEvery: c.EvalEvery, saveEvery: c.SaveEvery,
		stopAt: opts.StopAt, hasVal: len(p.val) > 0}
	bar := newProgressBar(opts.Console, start, c.Steps, c.BatchSize)
	win := rateWindow{start: time.Now()}
	err = p.loop(ctx, start, sched, bar, "pretraining ", func(step int) error {
		loss, lr, gn, err := p.step(step)
		if err != nil {
			return err
		}
		res.Step, res.Loss = step, loss
		win.steps++
		bar.update(step, loss)
		row := MetricsRow{Step: step}
		if sched.logs(step) {
			defer win.restart()
			rate := win.rate(c.BatchSize)
			row.Loss, row.LR, row.GradNorm, row.ExamplesPerS = num(loss), num(lr), num(gn), num(rate)
			if !opts.Console.Terminal() {
				p.log.Info("pretrain", zap.Int("step", step), zap.Int("of", c.Steps), zap.Float64("mlm_loss", loss),
					zap.Float64("lr", lr), zap.Float64("grad_norm", gn), zap.Float64("sequences_per_s", rate))
			}
		}
		var metric *checkpoints.Metric
		improved := false
		if sched.validates(step) {
			bar.pause()
			v, err := p.validate()
			bar.resume()
			if err != nil {
				return err
			}
			res.ValLoss, row.ValLoss = v, num(v)
			metric = &checkpoints.Metric{Name: "val_loss", Value: v, Step: step}
			improved = better(metric, p.best)
			p.log.Info("validation", zap.Int("step", step), zap.Float64("val_mlm_loss", v), zap.Bool("best", improved))
		}
		if sched.logs(step) {
			if err := p.mlog.write(row); err != nil {
				return err
			}
		}
		if !sched.saves(step, improved) {
			return nil
		}
		if improved {
			p.best = metric
		}
		_, err = p.save(step, metric, improved)
		return err
	}, func(step int) error {
		_, err := p.save(step, nil, false)
		return err
	})
	res.Checkpoint, res.Best = p.last, p.best
	return res, err
}

// setup reads the tokenizer and the corpus, builds the model and its
// graph, and restores the latest checkpoint when resuming.
func (p *pretrainer) setup() (int, error) {
	c := p.c
	tok, err := tokenizer.Load(c.Tokenizer)
	if err != nil {
		return 0, err
	}
	if p.tokRaw, err = os.ReadFile(c.Tokenizer); err != nil {
		return 0, err
	}
	if sp := tok.Special(); sp.CLS < 0 || sp.SEP < 0 || sp.MASK < 0 || sp.PAD < 0 {
		return 0, fmt.Errorf("training: pretrain: the tokenizer %s lacks [CLS], [SEP], [MASK] or [PAD]", c.Tokenizer)
	}
	raw, err := os.ReadFile(c.Corpus)
	if err != nil {
		return 0, fmt.Errorf("training: pretrain: %w", err)
	}
	p.corpusSHA = sha256Hex(raw)
	docs, err := datasets.ReadCorpus(c.Corpus)
	if err != nil {
		return 0, fmt.Errorf("training: pretrain: %w", err)
	}
	var trainDocs, valDocs []datasets.Document
	for _, d := range docs {
		if datasets.InSplit(d.ID, c.Seed, c.ValFraction) {
			valDocs = append(valDocs, d)
		} else {
			trainDocs = append(trainDocs, d)
		}
	}
	p.train = PretrainSequences(trainDocs, tok, c.MaxLength)
	p.val = PretrainSequences(valDocs, tok, c.MaxLength)
	if len(p.train) == 0 {
		return 0, fmt.Errorf("training: pretrain: %s has no document to train on (%d documents, %d held out)", c.Corpus, len(docs), len(valDocs))
	}
	p.log.Info("pretraining data", zap.Int("documents", len(trainDocs)), zap.Int("sequences", len(p.train)),
		zap.Int("val_documents", len(valDocs)), zap.Int("val_sequences", len(p.val)))
	p.mv = newMLMVocab(tok)
	p.vocab = student.EncoderConfig{VocabSize: tok.VocabSize(), Hidden: c.Hidden, Layers: c.Layers, Heads: c.Heads, FFN: c.FFN,
		MaxPosition: c.MaxPosition, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenDropout: c.Dropout}
	p.ord = &order{seed: c.Seed, n: len(p.train)}
	mk := c.masking()
	for lo := 0; lo < len(p.val); lo += c.BatchSize {
		seqs := p.val[lo:min(lo+c.BatchSize, len(p.val))]
		rngs := make([]*rand.Rand, len(seqs))
		for i := range rngs {
			rngs[i] = rand.New(rand.NewPCG(c.Seed^valSalt, uint64(lo+i)))
		}
		p.valBatches = append(p.valBatches, mlmBatch(seqs, rngs, mk, p.mv, c.MaxLength))
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return 0, fmt.Errorf("training: %w", err)
	}
	ck, err := p.resumePoint()
	if err != nil {
		return 0, err
	}
	start := 0
	if ck != nil {
		start = ck.Trainer.Step
	}
	g := G.NewGraph()
	if p.model, err = student.NewMaskedLM(g, p.vocab, c.Seed); err != nil {
		return 0, err
	}
	p.params = p.model.Params()
	if p.loss, p.aux, err = p.model.Loss(p.batchAt(start + 1)); err != nil {
		return 0, err
	}
	if _, err := G.Grad(p.loss, student.Nodes(p.params)...); err != nil {
		return 0, fmt.Errorf("training: pretrain: gradients: %w", err)
	}
	p.vm = nn.NewMachine(g)
	p.opt = NewAdamWFor(p.params, c.AdamBeta1, c.AdamBeta2, c.AdamEps, c.WeightDecay)
	if ck != nil {
		if _, err := p.model.LoadWeights(ck.Weights, true); err != nil {
			return 0, fmt.Errorf("training: resume: %w", err)
		}
		if err := p.opt.Restore(ck.Optimizer); err != nil {
			return 0, err
		}
	}
	if err := WriteConfigFile(filepath.Join(c.Out, "config.yaml"), c); err != nil {
		return 0, err
	}
	keep := -1
	if ck != nil {
		keep = start
	}
	if p.mlog, err = openMetricsLog(filepath.Join(c.Out, MetricsFile), keep); err != nil {
		return 0, err
	}
	n := 0
	for _, pr := range p.params {
		n += pr.Node.Shape().TotalSize()
	}
	p.log.Info("masked language model", zap.Int("parameters", n), zap.Int("layers", c.Layers), zap.Int("hidden", c.Hidden),
		zap.Int("start_step", start), zap.Int("steps", c.Steps), zap.Int("predictions_per_sequence", mk.MaxPredictions), blasField())
	return start, nil
}

// batchAt returns the masked batch of a step (from 1).
func (p *pretrainer) batchAt(step int) *student.MLMBatch {
	c := p.c
	seqs := make([]MLMSequence, c.BatchSize)
	rngs := make([]*rand.Rand, c.BatchSize)
	for i := range seqs {
		pos := int64(step-1)*int64(c.BatchSize) + int64(i)
		seqs[i] = p.train[p.ord.at(pos)]
		rngs[i] = rand.New(rand.NewPCG(c.Seed^maskSalt, uint64(pos)))
	}
	return mlmBatch(seqs, rngs, c.masking(), p.mv, c.MaxLength)
}

// step runs one forward/backward pass and AdamW update; it returns the
// loss, the learning rate and the gradient norm before clipping.
func (p *pretrainer) step(step int) (loss, lr, gradNorm float64, err error) {
	if err := p.aux.Feed(p.batchAt(step)); err != nil {
		return 0, 0, 0, err
	}
	p.model.SetTrainingStep(step)
	p.vm.Reset()
	if err := p.vm.RunAll(); err != nil {
		return 0, 0, 0, fmt.Errorf("training: pretrain step %d: %w", step, err)
	}
	loss = scalarOf(p.loss.Value())
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, 0, 0, &NonFiniteError{Step: step, Term: "masked-LM loss", Value: loss, Last: p.last}
	}
	vals, grads, err := paramData(p.params)
	if err != nil {
		return 0, 0, 0, err
	}
	gradNorm = GlobalNorm(grads)
	if math.IsNaN(gradNorm) || math.IsInf(gradNorm, 0) {
		return loss, 0, gradNorm, &NonFiniteError{Step: step, Term: "gradient norm", Value: gradNorm, Last: p.last}
	}
	lr = LinearSchedule(p.c.LR, p.c.warmup(), p.c.Steps, step)
	p.opt.Update(vals, grads, lr, ClipScale(gradNorm, p.c.ClipNorm))
	return loss, lr, gradNorm, nil
}

// validate returns the mean masked-LM loss over the held-out sequences,
// with masks fixed by the seed (every validation sees the same ones).
func (p *pretrainer) validate() (float64, error) {
	var sum float64
	var n int
	for _, b := range p.valBatches {
		l, err := p.model.EvalLoss(b)
		if err != nil {
			return 0, err
		}
		k := 0
		for _, t := range b.Targets {
			if t >= 0 {
				k++
			}
		}
		sum += l * float64(k)
		n += k
	}
	if n == 0 {
		return nan, nil
	}
	return sum / float64(n), nil
}

// baseline logs the initial validation loss (log V for a uniform model).
func (p *pretrainer) baseline(res *PretrainResult) error {
	row := MetricsRow{Step: 0}
	if len(p.val) > 0 {
		v, err := p.validate()
		if err != nil {
			return err
		}
		res.ValLoss, row.ValLoss = v, num(v)
		p.log.Info("validation", zap.Int("step", 0), zap.Float64("val_mlm_loss", v))
	}
	return p.mlog.write(row)
}

// resumePoint returns the checkpoint to resume from, or nil for a fresh run.
func (p *pretrainer) resumePoint() (*checkpoints.Checkpoint, error) {
	return p.latest(p.opts.Resume, p.tokRaw, nil, func(ck *checkpoints.Checkpoint) error {
		if ck.Config.Architecture != PretrainArchitecture {
			return fmt.Errorf("a %q checkpoint, not a pretraining run's", ck.Config.Architecture)
		}
		var mc pretrainModelConfig
		if err := json.Unmarshal(ck.Config.Model, &mc); err != nil {
			return err
		}
		if diff := pretrainDiff(mc.Pretraining, p.c); diff != "" {
			return fmt.Errorf("the configuration differs from the checkpoint's: %s", diff)
		}
		if mc.CorpusSHA256 != p.corpusSHA {
			return fmt.Errorf("the corpus's sha256 %s differs from the checkpoint's %s", p.corpusSHA, mc.CorpusSHA256)
		}
		return nil
	})
}

// pretrainDiff lists the settings of cur that differ from prev, ignoring
// those a resumed run may change (see resumeDiff).
func pretrainDiff(prev, cur PretrainConfig) string {
	for _, c := range []*PretrainConfig{&prev, &cur} {
		c.Out, c.Steps, c.EvalEvery, c.SaveEvery, c.KeepLast, c.LogEvery = "", 0, 0, 0, 0, 0
		c.Corpus, c.Tokenizer = "", ""
	}
	return fieldDiffs(prev, cur)
}

// save writes the checkpoint of step (see runFolder.write).
func (p *pretrainer) save(step int, metric *checkpoints.Metric, improved bool) (string, error) {
	model, err := json.Marshal(pretrainModelConfig{ModelType: "bert", Architectures: []string{"BertForMaskedLM"},
		EncoderConfig: p.vocab, Pretraining: p.c, CorpusSHA256: p.corpusSHA})
	if err != nil {
		return "", err
	}
	examples := int64(step) * int64(p.c.BatchSize)
	n := int64(len(p.train))
	epoch := int(examples / n)
	return p.write(&checkpoints.Checkpoint{
		Config:    checkpoints.Config{Architecture: PretrainArchitecture, Model: model, Seed: p.c.Seed},
		Weights:   student.Weights(p.params),
		Tokenizer: portableTokenizer(p.tokRaw),
		Trainer: checkpoints.TrainerState{Step: step, Epoch: epoch, Cursor: examples % n, RNG: p.ord.state(epoch),
			Metric: metric, BestMetric: p.best},
		Optimizer: p.opt.State(student.Shapes(p.params)),
	}, improved)
}
