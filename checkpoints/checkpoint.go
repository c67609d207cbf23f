package checkpoints

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/distill-ml/distill/internal/manifest"
	"github.com/distill-ml/distill/internal/version"
)

// File names inside a checkpoint folder.
const (
	ModelFile        = "model.safetensors"
	TokenizerFile    = "tokenizer.json"
	TrainerStateFile = "trainer_state.json"
	OptimizerFile    = "optimizer.safetensors"
)

// Suffixes of the AdamW moment tensors in optimizer.safetensors, after the
// parameter's name (PyTorch's state names).
const (
	expAvgSuffix   = ".exp_avg"
	expAvgSqSuffix = ".exp_avg_sq"
	optimizerMeta  = "distill-adamw/v1"
)

// Checkpoint is everything needed to use a student or resume its training.
type Checkpoint struct {
	Config    Config
	Weights   map[string]Tensor // Hugging Face BERT names, e.g. "bert.embeddings.word_embeddings.weight"
	Tokenizer []byte            // tokenizer.json; nil for none
	Trainer   TrainerState
	Optimizer *OptimizerState // nil when not saved (an export for inference)
	Dir       string          // the folder, set by Save and Load
}

// TrainerState is trainer_state.json: where training stands.
type TrainerState struct {
	Step       int             `json:"step"`             // optimizer steps done; names the folder
	Epoch      int             `json:"epoch"`            // current epoch, from 0
	Cursor     int64           `json:"cursor"`           // examples of the current epoch already consumed
	RNG        json.RawMessage `json:"rng,omitempty"`    // the trainer's RNG state (opaque)
	Metric     *Metric         `json:"metric,omitempty"` // this checkpoint's validation result
	BestMetric *Metric         `json:"best_metric,omitempty"`
}

// UnmarshalJSON reads trainer_state.json, compacting the opaque RNG state.
func (t *TrainerState) UnmarshalJSON(data []byte) error {
	type plain TrainerState
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*t = TrainerState(p)
	t.RNG = compactJSON(t.RNG)
	return nil
}

// Validate checks that the state's counters are in range: step, epoch and
// cursor non-negative, and the metrics' steps within the steps done.
func (t *TrainerState) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"step", int64(t.Step)}, {"epoch", int64(t.Epoch)}, {"cursor", t.Cursor}} {
		if f.v < 0 {
			return fmt.Errorf("%s %d is negative", f.name, f.v)
		}
	}
	for _, m := range []struct {
		name string
		m    *Metric
	}{{"metric", t.Metric}, {"best_metric", t.BestMetric}} {
		if m.m != nil && (m.m.Step < 0 || m.m.Step > t.Step) {
			return fmt.Errorf("%s.step %d is outside 0…%d (the steps done)", m.name, m.m.Step, t.Step)
		}
	}
	return nil
}

// ReadTrainerState reads dir/trainer_state.json alone (without verifying
// the checkpoint), e.g. to see which step a best/ folder holds.
func ReadTrainerState(dir string) (*TrainerState, error) {
	var t TrainerState
	if err := readJSON(filepath.Join(dir, TrainerStateFile), &t); err != nil {
		return nil, &FileError{Dir: dir, File: TrainerStateFile, Err: err}
	}
	if err := t.Validate(); err != nil {
		return nil, &FileError{Dir: dir, File: TrainerStateFile, Err: err}
	}
	return &t, nil
}

// Metric is a validation result.
type Metric struct {
	Name  string  `json:"name"` // e.g. "nDCG@10"
	Value float64 `json:"value"`
	Step  int     `json:"step"`
}

// MarshalJSON writes a non-finite Value, which JSON numbers cannot hold, as
// the string "NaN", "+Inf" or "-Inf", so a checkpoint is never lost to it.
func (m Metric) MarshalJSON() ([]byte, error) {
	type plain Metric
	if !math.IsNaN(m.Value) && !math.IsInf(m.Value, 0) {
		return json.Marshal(plain(m))
	}
	return json.Marshal(struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		Step  int    `json:"step"`
	}{m.Name, strconv.FormatFloat(m.Value, 'g', -1, 64), m.Step})
}

// UnmarshalJSON reads a Value written as a number, as null (NaN) or as one
// of the strings MarshalJSON writes for non-finite values.
func (m *Metric) UnmarshalJSON(data []byte) error {
	var raw struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
		Step  int             `json:"step"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	m.Name, m.Step, m.Value = raw.Name, raw.Step, math.NaN()
	var s string
	switch {
	case len(raw.Value) == 0 || string(raw.Value) == "null":
	case json.Unmarshal(raw.Value, &m.Value) == nil:
	case json.Unmarshal(raw.Value, &s) == nil:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(math.IsNaN(v) || math.IsInf(v, 0)) {
			return fmt.Errorf("metric %q: value %q is neither a number nor NaN/+Inf/-Inf", raw.Name, s)
		}
		m.Value = v
	default:
		return fmt.Errorf("metric %q: value %s is not a number", raw.Name, raw.Value)
	}
	return nil
}

// OptimizerState holds AdamW's per-parameter moments, stored in
// optimizer.safetensors as "<param>.exp_avg" and "<param>.exp_avg_sq".
type OptimizerState struct {
	Step     int               // AdamW updates applied (the bias-correction t)
	ExpAvg   map[string]Tensor // first moments m, keyed like Weights
	ExpAvgSq map[string]Tensor // second moments v, keyed like Weights
}

// StepDir returns the folder name of a step's checkpoint: "step-000200".
func StepDir(step int) string { return fmt.Sprintf("step-%06d", step) }

// validate checks what Save needs before it writes anything.
func (ck *Checkpoint) validate() error {
	if ck.Config.Architecture == "" {
		return errors.New("checkpoints: Config.Architecture is empty")
	}
	if ck.Trainer.Step < 0 {
		return fmt.Errorf("checkpoints: negative step %d", ck.Trainer.Step)
	}
	if len(ck.Weights) == 0 {
		return errors.New("checkpoints: no weights")
	}
	for name, t := range ck.Weights {
		if err := t.Validate(); err != nil {
			return fmt.Errorf("checkpoints: weight %q: %w", name, err)
		}
	}
	if ck.Tokenizer != nil {
		sum := sha256.Sum256(ck.Tokenizer)
		if h := hex.EncodeToString(sum[:]); ck.Config.TokenizerSHA256 != "" && ck.Config.TokenizerSHA256 != h {
			return fmt.Errorf("checkpoints: Config.TokenizerSHA256 is %s, the tokenizer's sha256 is %s", ck.Config.TokenizerSHA256, h)
		}
	}
	if o := ck.Optimizer; o != nil {
		if err := o.validate(ck.Weights); err != nil {
			return err
		}
	}
	return nil
}

func (o *OptimizerState) validate(weights map[string]Tensor) error {
	if len(o.ExpAvg) != len(o.ExpAvgSq) {
		return fmt.Errorf("checkpoints: optimizer has %d first and %d second moments", len(o.ExpAvg), len(o.ExpAvgSq))
	}
	for _, moments := range []map[string]Tensor{o.ExpAvg, o.ExpAvgSq} {
		for name, m := range moments {
			w, ok := weights[name]
			if !ok {
				return fmt.Errorf("checkpoints: optimizer moment for %q, which is not a weight", name)
			}
			if err := m.Validate(); err != nil || !slices.Equal(m.Shape, w.Shape) {
				return fmt.Errorf("checkpoints: optimizer moment for %q has shape %v, the weight %v", name, m.Shape, w.Shape)
			}
			if _, ok := o.ExpAvgSq[name]; !ok {
				return fmt.Errorf("checkpoints: optimizer has no second moment for %q", name)
			}
		}
	}
	return nil
}

// fillDefaults sets the Config fields Save derives.
func (ck *Checkpoint) fillDefaults() {
	if ck.Tokenizer != nil && ck.Config.TokenizerSHA256 == "" {
		sum := sha256.Sum256(ck.Tokenizer)
		ck.Config.TokenizerSHA256 = hex.EncodeToString(sum[:])
	}
	if ck.Config.Created.IsZero() {
		ck.Config.Created = time.Now().UTC().Truncate(time.Second)
	}
	if ck.Config.DistillVersion == "" {
		ck.Config.DistillVersion = version.Version // what `distill --version` prints
	}
}

// writeFiles writes the checkpoint's files and manifest into dir.
func (ck *Checkpoint) writeFiles(dir string) error {
	jsonFile := func(v any) func(io.Writer) error {
		return func(w io.Writer) error {
			data, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				return err
			}
			_, err = w.Write(append(data, '\n'))
			return err
		}
	}
	type file struct {
		name  string
		write func(io.Writer) error
	}
	files := []file{
		{ModelFile, func(w io.Writer) error {
			// transformers requires format "pt" to load a safetensors state dict.
			return WriteSafetensors(w, ck.Weights, map[string]string{"format": "pt"})
		}},
		{ConfigFile, jsonFile(ck.Config)},
		{TrainerStateFile, jsonFile(ck.Trainer)},
	}
	if ck.Tokenizer != nil {
		files = append(files, file{TokenizerFile, func(w io.Writer) error { _, err := w.Write(ck.Tokenizer); return err }})
	}
	if o := ck.Optimizer; o != nil {
		files = append(files, file{OptimizerFile, func(w io.Writer) error {
			all := make(map[string]Tensor, 2*len(o.ExpAvg))
			for name, m := range o.ExpAvg {
				all[name+expAvgSuffix] = m
				all[name+expAvgSqSuffix] = o.ExpAvgSq[name]
			}
			return WriteSafetensors(w, all, map[string]string{"format": optimizerMeta, "step": strconv.Itoa(o.Step)})
		}})
	}
	var items []ManifestItem
	for _, f := range files {
		item, err := writeHashed(dir, f.name, f.write)
		if err != nil {
			return err
		}
		items = append(items, item)
	}
	return writeManifest(dir, items)
}

// Load reads the checkpoint in dir, verifying every file against the
// manifest first. A missing, truncated or corrupted file gives a *FileError
// naming it.
func Load(dir string) (*Checkpoint, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	content := map[string][]byte{}
	for _, item := range m.Files {
		data, err := readVerified(dir, item)
		if err != nil {
			return nil, &FileError{Dir: dir, File: item.Path, Err: err}
		}
		content[item.Path] = data
	}
	for _, required := range []string{ModelFile, ConfigFile, TrainerStateFile} {
		if _, ok := content[required]; !ok {
			return nil, &FileError{Dir: dir, File: required, Err: mismatchf("not listed in the manifest")}
		}
	}
	ck := &Checkpoint{Dir: dir, Tokenizer: content[TokenizerFile]}
	bad := func(file string, err error) error { return &FileError{Dir: dir, File: file, Err: err} }
	if err := json.Unmarshal(content[ConfigFile], &ck.Config); err != nil {
		return nil, bad(ConfigFile, err)
	}
	if err := json.Unmarshal(content[TrainerStateFile], &ck.Trainer); err != nil {
		return nil, bad(TrainerStateFile, err)
	}
	if err := ck.Trainer.Validate(); err != nil {
		return nil, bad(TrainerStateFile, err)
	}
	if ck.Weights, _, err = ReadSafetensors(content[ModelFile]); err != nil {
		return nil, bad(ModelFile, err)
	}
	if ck.Tokenizer != nil {
		sum := sha256.Sum256(ck.Tokenizer)
		if h := hex.EncodeToString(sum[:]); h != ck.Config.TokenizerSHA256 {
			return nil, bad(TokenizerFile, mismatchf("sha256 %s… differs from config.json's tokenizer_sha256 %s…", manifest.Short(h), manifest.Short(ck.Config.TokenizerSHA256)))
		}
	}
	if data, ok := content[OptimizerFile]; ok {
		if ck.Optimizer, err = decodeOptimizer(data); err != nil {
			return nil, bad(OptimizerFile, err)
		}
		if err := ck.Optimizer.validate(ck.Weights); err != nil {
			return nil, bad(OptimizerFile, err)
		}
	}
	return ck, nil
}

func decodeOptimizer(data []byte) (*OptimizerState, error) {
	all, meta, err := ReadSafetensors(data)
	if err != nil {
		return nil, err
	}
	if meta["format"] != optimizerMeta {
		return nil, mismatchf("metadata format %q, want %q", meta["format"], optimizerMeta)
	}
	o := &OptimizerState{ExpAvg: map[string]Tensor{}, ExpAvgSq: map[string]Tensor{}}
	if o.Step, err = strconv.Atoi(meta["step"]); err != nil {
		return nil, mismatchf("metadata step %q is not an integer", meta["step"])
	}
	for name, t := range all {
		switch {
		case strings.HasSuffix(name, expAvgSqSuffix):
			o.ExpAvgSq[strings.TrimSuffix(name, expAvgSqSuffix)] = t
		case strings.HasSuffix(name, expAvgSuffix):
			o.ExpAvg[strings.TrimSuffix(name, expAvgSuffix)] = t
		default:
			return nil, mismatchf("tensor %q is neither an exp_avg nor an exp_avg_sq", name)
		}
	}
	return o, nil
}

// readVerified reads a file and checks it against its manifest entry.
func readVerified(dir string, item ManifestItem) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(dir, item.Path))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("missing (listed in the manifest): %w", err)
	}
	if err != nil {
		return nil, err
	}
	if err := manifest.CheckSize(item.Size, int64(len(data))); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if err := manifest.CheckSHA256(item.SHA256, hex.EncodeToString(sum[:])); err != nil {
		return nil, err
	}
	return data, nil
}
