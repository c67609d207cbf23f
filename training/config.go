package training

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/losses"
	"github.com/distill-ml/distill/student"
)

// ErrConfig is wrapped by every invalid configuration.
var ErrConfig = errors.New("training: invalid config")

// Losses names the ranking losses Config.Loss accepts.
var Losses = []string{"marginmse", "kldiv", "pairwise-ce", "pointwise-bce"}

// Config is a training run's complete configuration. Every field is a
// command-line flag of `distill student train` (the YAML key with "-" for
// "_") and a key of the YAML config file; flags override the file. The
// resolved Config is saved as the run's config.yaml and in every checkpoint.
type Config struct {
	// Inputs and output.
	Arch      student.Kind `yaml:"arch" json:"arch" help:"student architecture: colbert, splade, or crossencoder (distill teacher finetune)"`
	Labels    string       `yaml:"labels" json:"labels" help:"teacher labels folder (distill teacher label)"`
	Queries   string       `yaml:"queries" json:"queries" help:"queries: BEIR queries.jsonl or TSV (id<TAB>text)"`
	Corpus    string       `yaml:"corpus" json:"corpus" help:"corpus: BEIR corpus.jsonl or TSV (id<TAB>text)"`
	Tokenizer string       `yaml:"tokenizer" json:"tokenizer" help:"the student's tokenizer.json (WordPiece)"`
	Qrels     string       `yaml:"qrels" json:"qrels,omitempty" help:"relevance judgements: positives are judged relevant candidates; enables validation MRR@10"`
	Out       string       `yaml:"out" json:"out" help:"run folder for checkpoints, config.yaml and metrics.jsonl"`
	InitFrom  string       `yaml:"init_from" json:"init_from,omitempty" help:"initialise weights by name from an ONNX model, a .safetensors file or a checkpoint folder"`

	// Optimisation.
	Steps       int     `yaml:"steps" json:"steps" help:"optimizer steps (0 writes the untrained checkpoint)"`
	BatchSize   int     `yaml:"batch_size" json:"batch_size" help:"examples per step (triples; groups for kldiv)"`
	LR          float64 `yaml:"lr" json:"lr" help:"peak learning rate of AdamW"`
	Seed        uint64  `yaml:"seed" json:"seed" help:"seed of the initialisation, the split, the triples and the data order"`
	WarmupSteps int     `yaml:"warmup_steps" json:"warmup_steps" help:"steps of linear learning-rate warm-up (-1: 10% of --steps)"`
	LRSchedule  string  `yaml:"lr_schedule" json:"lr_schedule,omitempty" help:"learning rate after the warm-up: linear (decay to 0), cosine (half-cosine decay to 0, as sentence-transformers and PyLate) or constant"`
	WeightDecay float64 `yaml:"weight_decay" json:"weight_decay" help:"AdamW decoupled weight decay (not applied to biases and LayerNorm)"`
	ClipNorm    float64 `yaml:"clip_norm" json:"clip_norm" help:"clip the global gradient norm to this (0: no clipping)"`
	AdamBeta1   float64 `yaml:"adam_beta1" json:"adam_beta1" help:"AdamW β1"`
	AdamBeta2   float64 `yaml:"adam_beta2" json:"adam_beta2" help:"AdamW β2"`
	AdamEps     float64 `yaml:"adam_eps" json:"adam_eps" help:"AdamW ε"`

	// Objective and data.
	Loss          string  `yaml:"loss" json:"loss" help:"ranking loss: marginmse, kldiv (n-way groups) or pairwise-ce or pointwise-bce (judgements only, need --qrels)"`
	KLNegatives   int     `yaml:"kl_negatives" json:"kl_negatives" help:"negatives per group for --loss kldiv (groups of 1+N candidates)"`
	KLTemperature float64 `yaml:"kl_temperature" json:"kl_temperature" help:"teacher softmax temperature for --loss kldiv"`
	Negatives     int     `yaml:"negatives" json:"negatives" help:"negatives sampled per training query (0: all other candidates)"`
	AllPositives  bool    `yaml:"all_positives" json:"all_positives,omitempty" help:"with --qrels, train on every judged relevant candidate of a query (each with --negatives negatives), not only the teacher's best"`
	ValFraction   float64 `yaml:"val_fraction" json:"val_fraction" help:"fraction of queries held out for validation (seeded hash of the query id)"`

	// Model size.
	Layers         int     `yaml:"layers" json:"layers" help:"transformer layers"`
	Hidden         int     `yaml:"hidden" json:"hidden" help:"hidden size"`
	Heads          int     `yaml:"heads" json:"heads" help:"attention heads (must divide --hidden)"`
	FFN            int     `yaml:"ffn" json:"ffn" help:"feed-forward size"`
	MaxPosition    int     `yaml:"max_position" json:"max_position" help:"position embeddings (512 matches BERT for --init-from)"`
	Dim            int     `yaml:"dim" json:"dim" help:"ColBERT token embedding size"`
	MaxQueryLength int     `yaml:"max_query_length" json:"max_query_length" help:"query tokens incl. [CLS], [SEP] (and ColBERT's [Q]; ColBERT pads with [MASK] to it)"`
	MaxDocLength   int     `yaml:"max_doc_length" json:"max_doc_length" help:"document tokens incl. [CLS], [SEP] (and ColBERT's [D])"`
	Dropout        float64 `yaml:"dropout" json:"dropout,omitempty" help:"training dropout on the embeddings and on each attention and feed-forward output (BERT's hidden_dropout_prob, 0.1 in Hugging Face models; 0: none)"`

	// SPLADE regularisation.
	LambdaQ     float64 `yaml:"lambda_q" json:"lambda_q" help:"SPLADE: final weight of the query FLOPS regulariser"`
	LambdaD     float64 `yaml:"lambda_d" json:"lambda_d" help:"SPLADE: final weight of the document FLOPS regulariser"`
	FLOPSWarmup int     `yaml:"flops_warmup" json:"flops_warmup" help:"SPLADE: steps of the quadratic λ warm-up (-1: a third of --steps)"`

	// Bookkeeping.
	EvalEvery int `yaml:"eval_every" json:"eval_every" help:"validate every K steps (0: only at the end)"`
	SaveEvery int `yaml:"save_every" json:"save_every" help:"checkpoint every N steps (and at the end)"`
	KeepLast  int `yaml:"keep_last" json:"keep_last" help:"step checkpoints to keep (best/ is kept apart)"`
	LogEvery  int `yaml:"log_every" json:"log_every" help:"write a metrics.jsonl line every N steps"`
	// BestMetric chooses best/ (Hugging Face Trainer's metric_for_best_model).
	BestMetric string `yaml:"best_metric" json:"best_metric,omitempty" help:"validation metric that chooses best/: mrr10 (needs --qrels), kendall_tau (agreement with the teacher), loss, or auto (mrr10 with --qrels, else loss)"`
}

// BestMetrics names the values Config.BestMetric accepts ("" means auto).
var BestMetrics = []string{"auto", "mrr10", "kendall_tau", "loss"}

// DefaultLambdaQ and DefaultLambdaD are SPLADE's FLOPS weights: a tenth of
// SPLADE++'s 0.5 and 0.4 (losses.SPLADEPlusPlusSchedule), which on distill's
// own runs collapse every vector to zero before the ranking loss shapes
// them (the demo's students on Cranfield, 150 steps, Margin-MSE: no
// non-zero weight left by step 100, gradient 0), while 0.05/0.04 end at
// 2,481 non-zeros per document (8% of BERT's vocabulary) and falling.
const (
	DefaultLambdaQ = 0.05
	DefaultLambdaD = 0.04
)

// DefaultConfig returns the defaults: a 4-layer, 256-wide ColBERT trained
// with Margin-MSE, AdamW at 1e-4 with 10% warm-up, batches of 16.
func DefaultConfig() Config {
	enc := student.StudentEncoder()
	return Config{
		Arch: student.KindColBERT, Steps: 1000, BatchSize: 16, LR: 1e-4, Seed: 42, WarmupSteps: -1, LRSchedule: "linear",
		WeightDecay: 0.01, ClipNorm: 1, AdamBeta1: 0.9, AdamBeta2: 0.999, AdamEps: 1e-8,
		Loss: "marginmse", KLNegatives: 4, KLTemperature: 1, ValFraction: 0.1,
		Layers: enc.Layers, Hidden: enc.Hidden, Heads: enc.Heads, FFN: enc.FFN, MaxPosition: enc.MaxPosition,
		Dim: 128, MaxQueryLength: 32, MaxDocLength: 128,
		LambdaQ: DefaultLambdaQ, LambdaD: DefaultLambdaD, FLOPSWarmup: -1,
		EvalEvery: 500, SaveEvery: 500, KeepLast: 3, LogEvery: 10, BestMetric: "auto",
	}
}

// Validate reports the first setting that is missing or out of range.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	if !slices.Contains(student.Kinds, c.Arch) {
		return bad("arch %q, want colbert, splade or crossencoder", c.Arch)
	}
	for _, f := range []struct{ name, v string }{{"labels", c.Labels}, {"queries", c.Queries},
		{"corpus", c.Corpus}, {"tokenizer", c.Tokenizer}, {"out", c.Out}} {
		if f.v == "" {
			return bad("%s is required", f.name)
		}
	}
	switch c.Loss {
	case "marginmse", "kldiv":
	case "pairwise-ce", "pointwise-bce":
		if c.Qrels == "" {
			return bad("loss %s trains on judgements and needs qrels", c.Loss)
		}
	default:
		return bad("loss %q, want one of %v", c.Loss, Losses)
	}
	if err := checkInts([]intSetting{{"steps", c.Steps, 0}, {"batch_size", c.BatchSize, 1}, {"warmup_steps", c.WarmupSteps, -1},
		{"kl_negatives", c.KLNegatives, 1}, {"negatives", c.Negatives, 0}, {"layers", c.Layers, 1},
		{"hidden", c.Hidden, 1}, {"heads", c.Heads, 1}, {"ffn", c.FFN, 1}, {"dim", c.Dim, 1},
		{"max_query_length", c.MaxQueryLength, 4}, {"max_doc_length", c.MaxDocLength, 4},
		{"flops_warmup", c.FLOPSWarmup, -1}, {"eval_every", c.EvalEvery, 0}, {"save_every", c.SaveEvery, 1},
		{"keep_last", c.KeepLast, 1}, {"log_every", c.LogEvery, 1}}); err != nil {
		return err
	}
	if c.Hidden%c.Heads != 0 {
		return bad("hidden %d is not a multiple of heads %d", c.Hidden, c.Heads)
	}
	if m := max(c.MaxQueryLength, c.MaxDocLength); c.MaxPosition < m {
		return bad("max_position = %d is shorter than the longest input (%d)", c.MaxPosition, m)
	}
	if err := checkFloats([]floatSetting{{"lr", c.LR, 0, true}, {"weight_decay", c.WeightDecay, 0, false}, {"clip_norm", c.ClipNorm, 0, false},
		{"adam_eps", c.AdamEps, 0, true}, {"kl_temperature", c.KLTemperature, 0, true},
		{"lambda_q", c.LambdaQ, 0, false}, {"lambda_d", c.LambdaD, 0, false}}); err != nil {
		return err
	}
	if err := checkBetas(c.AdamBeta1, c.AdamBeta2); err != nil {
		return err
	}
	if !(c.ValFraction >= 0 && c.ValFraction < 1) {
		return bad("val_fraction = %g, want 0 ≤ f < 1", c.ValFraction)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return bad("dropout = %g, want 0 ≤ p < 1", c.Dropout)
	}
	if c.LRSchedule != "" && !slices.Contains(LRSchedules, c.LRSchedule) {
		return bad("lr_schedule %q, want one of %v", c.LRSchedule, LRSchedules)
	}
	if c.BestMetric != "" && !slices.Contains(BestMetrics, c.BestMetric) {
		return bad("best_metric %q, want one of %v", c.BestMetric, BestMetrics)
	}
	if c.BestMetric == "mrr10" && c.Qrels == "" {
		return bad("best_metric mrr10 needs qrels")
	}
	return nil
}

// intSetting is an integer setting and its least valid value.
type intSetting struct {
	name  string
	v, lo int
}

// checkInts reports the first setting below its least value.
func checkInts(settings []intSetting) error {
	for _, f := range settings {
		if f.v < f.lo {
			return fmt.Errorf("%w: %s = %d, want ≥ %d", ErrConfig, f.name, f.v, f.lo)
		}
	}
	return nil
}

// floatSetting is a setting that must be finite and ≥ lo (> lo if strict).
type floatSetting struct {
	name   string
	v, lo  float64
	strict bool
}

// checkFloats reports the first setting out of its range.
func checkFloats(settings []floatSetting) error {
	for _, f := range settings {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < f.lo || (f.strict && f.v == f.lo) {
			return fmt.Errorf("%w: %s = %g, want a finite value %s %g", ErrConfig, f.name, f.v, map[bool]string{true: ">", false: "≥"}[f.strict], f.lo)
		}
	}
	return nil
}

// checkBetas reports AdamW's β1 or β2 outside [0, 1).
func checkBetas(beta1, beta2 float64) error {
	for i, b := range []float64{beta1, beta2} {
		if !(b >= 0 && b < 1) {
			return fmt.Errorf("%w: adam_beta%d = %g, want 0 ≤ β < 1", ErrConfig, i+1, b)
		}
	}
	return nil
}

// bestMetric resolves BestMetric: auto (or unset, in configs written before
// it existed) is mrr10 with judgements, else loss.
func (c Config) bestMetric() string {
	switch c.BestMetric {
	case "", "auto":
		if c.Qrels != "" {
			return "mrr10"
		}
		return "loss"
	}
	return c.BestMetric
}

// warmup returns the learning-rate warm-up in steps.
func (c Config) warmup() int {
	if c.WarmupSteps >= 0 {
		return c.WarmupSteps
	}
	return c.Steps / 10
}

// lrAt returns the learning rate of update step under c's schedule.
func (c Config) lrAt(step int) float64 {
	f := LinearSchedule
	switch c.LRSchedule {
	case "cosine":
		f = CosineSchedule
	case "constant":
		f = ConstantSchedule
	}
	return f(c.LR, c.warmup(), c.Steps, step)
}

// flopsSchedule returns SPLADE's regulariser weights and ramp.
func (c Config) flopsSchedule() losses.FLOPSSchedule {
	w := c.FLOPSWarmup
	if w < 0 {
		w = c.Steps / 3
	}
	return losses.FLOPSSchedule{LambdaQ: c.LambdaQ, LambdaD: c.LambdaD, WarmupSteps: w}
}

// groupSize is the number of triples in one training example: KLNegatives
// for the kldiv loss (one query, its positive and KLNegatives negatives),
// else 1.
func (c Config) groupSize() int {
	if c.Loss == "kldiv" {
		return c.KLNegatives
	}
	return 1
}

// ReadConfigFile decodes a YAML config file over base: keys present in the
// file replace base's values; an unknown key is an error.
func ReadConfigFile(path string, base Config) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, fmt.Errorf("training: config file: %w", err)
	}
	c := base
	if err := decodeConfigYAML(path, data, &c); err != nil {
		return base, err
	}
	return c, nil
}

// decodeConfigYAML decodes data (the YAML file at path) into the config
// dst points to (a *Config or a *PretrainConfig): keys present replace its
// values; an unknown key, or a value of the wrong type, is an error.
func decodeConfigYAML(path string, data []byte, dst any) error {
	if err := checkYAMLTypes(path, data, reflect.TypeOf(dst).Elem()); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(dst); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
	}
	return nil
}

// checkYAMLTypes checks that every value of the YAML mapping in data has
// the type of its field in the struct type t: an integer for an integer
// field (yaml.v3 would truncate "steps: 2.5" to 2), a number for a float,
// true or false for a bool. Unknown keys are left to the decoder.
func checkYAMLTypes(path string, data []byte, t reflect.Type) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil // empty, or not a mapping: the decoder says so
	}
	kinds := map[string]reflect.Kind{}
	for i := range t.NumField() {
		kinds[yamlKey(t.Field(i))] = t.Field(i).Type.Kind()
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i], m.Content[i+1]
		kind, ok := kinds[key.Value]
		if !ok {
			continue
		}
		var want string
		switch kind {
		case reflect.Int, reflect.Uint64:
			if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!int" {
				want = "an integer"
			}
		case reflect.Float64:
			if val.Kind != yaml.ScalarNode || (val.ShortTag() != "!!int" && val.ShortTag() != "!!float") {
				want = "a number"
			}
		case reflect.Bool:
			if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!bool" {
				want = "true or false"
			}
		case reflect.String:
			if val.Kind != yaml.ScalarNode {
				want = "a string"
			}
		}
		if want != "" {
			return fmt.Errorf("%w: %s line %d: %s: %q is not %s", ErrConfig, path, val.Line, key.Value, val.Value, want)
		}
	}
	return nil
}

// WriteConfigFile writes c (a Config or a PretrainConfig) as YAML.
func WriteConfigFile(path string, c any) error {
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("training: config: %w", err)
	}
	return fsutil.WriteFileAtomic(path, data, 0o644)
}
