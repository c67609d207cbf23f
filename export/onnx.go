package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/student"
	"gorgonia.org/gorgonia"
)

// MetadataStudentKey is the ONNX metadata key holding the model's
// student.Config as JSON (ColBERT's marker ids, query length, skip list).
const MetadataStudentKey = "distill.student"

// ErrKind is returned (wrapped) for a model or checkpoint whose kind cannot
// be exported.
var ErrKind = errors.New("export: unsupported model kind")

// Options tunes the written model. The zero value writes opset 17.
type Options struct {
	// Opset is the ai.onnx opset, bertonnx.MinOpset to MaxOpset (0: 17).
	Opset int
}

// Result says what was written.
type Result struct {
	Kind      student.Kind
	Model     string   // the ONNX file
	Tokenizer string   // the copied tokenizer.json; "" when none was written
	Inputs    []string // graph input names, in order
	Output    string   // graph output name
	Bytes     int64    // size of the ONNX file
	SHA256    string   // of the ONNX file
	Params    int64    // number of weights
}

// WriteModel writes m as ONNX to path, atomically, creating path's folder
// if needed (see the package comment for the inputs and output of each
// kind). The student.Config is recorded in the model's metadata under
// MetadataStudentKey.
func WriteModel(m student.Model, path string, opts Options) (*Result, error) {
	cfg := m.Config()
	enc, ok := encoderOf(cfg)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrKind, cfg.Kind)
	}
	meta, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("export: encode config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	bc, w := BertConfig(enc), Weights(m)
	wo := bertonnx.WriteOptions{Opset: opts.Opset, ProducerName: "distill-export", Metadata: map[string]string{MetadataStudentKey: string(meta)}}
	res := &Result{Kind: cfg.Kind, Model: path, Inputs: []string{"input_ids", "attention_mask"}}
	switch cfg.Kind {
	case student.KindCrossEncoder:
		res.Inputs, res.Output = append(res.Inputs, "token_type_ids"), "logits"
		err = bertonnx.WriteCrossEncoder(path, bc, w, wo)
	case student.KindColBERT:
		res.Output = bertonnx.OutputTokenEmbeddings
		err = bertonnx.WriteColBERT(path, bc, w, wo)
	case student.KindSPLADE:
		res.Output = bertonnx.OutputSparseWeights
		err = bertonnx.WriteSPLADE(path, bc, w, wo)
	}
	if err != nil {
		return nil, fmt.Errorf("export: %s: %w", cfg.Kind, err)
	}
	for _, t := range w {
		res.Params += int64(len(t.Data))
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	res.Bytes = st.Size()
	if res.SHA256, err = fsutil.SHA256File(path); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return res, nil
}

// Checkpoint exports the checkpoint in dir (a checkpoint folder, or a run
// folder whose latest checkpoint is taken) to the ONNX file path, and
// copies the checkpoint's tokenizer.json beside it (replacing one there).
// The model's kind and settings are read from the checkpoint's config.json
// (see ModelConfig); the weights must cover every parameter.
func Checkpoint(dir, path string, opts Options) (*Result, error) {
	m, ck, err := LoadCheckpoint(dir)
	if err != nil {
		return nil, err
	}
	res, err := WriteModel(m, path, opts)
	if err != nil {
		return nil, err
	}
	if ck.Tokenizer != nil {
		tp := filepath.Join(filepath.Dir(path), checkpoints.TokenizerFile)
		if err := fsutil.WriteFileAtomic(tp, ck.Tokenizer, 0o644); err != nil {
			return nil, fmt.Errorf("export: copy tokenizer: %w", err)
		}
		res.Tokenizer = tp
	}
	return res, nil
}

// LoadCheckpoint loads the checkpoint in dir (a checkpoint folder, or a run
// folder whose latest checkpoint is taken) as a model with all its weights.
func LoadCheckpoint(dir string) (student.Model, *checkpoints.Checkpoint, error) {
	if _, err := os.Stat(filepath.Join(dir, checkpoints.ManifestFile)); err != nil {
		latest, ok, lerr := checkpoints.Latest(dir)
		if lerr != nil {
			return nil, nil, fmt.Errorf("export: %w", lerr)
		}
		if !ok {
			return nil, nil, fmt.Errorf("export: %s is neither a checkpoint folder (no %s) nor a run folder with a checkpoint", dir, checkpoints.ManifestFile)
		}
		dir = latest
	}
	ck, err := checkpoints.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	cfg, err := ModelConfig(ck)
	if err != nil {
		return nil, nil, err
	}
	m, err := student.New(gorgonia.NewGraph(), cfg, ck.Config.Seed)
	if err != nil {
		return nil, nil, fmt.Errorf("export: %s: %w", dir, err)
	}
	src := make(map[string]student.Tensor, len(ck.Weights))
	for k, t := range ck.Weights {
		src[k] = student.Tensor{Shape: t.Shape, Data: t.Data}
	}
	if _, err := m.LoadWeights(src, true); err != nil {
		return nil, nil, fmt.Errorf("export: %s: %w", dir, err)
	}
	return m, ck, nil
}

// ModelConfig returns the model configuration a checkpoint records in its
// config.json, found, in order, as
//
//   - a "student" object holding a student.Config (what `distill student
//     train` writes),
//   - the top level itself, when it has a "kind" key (a bare student.Config),
//   - for the architecture "crossencoder" (or Hugging Face's
//     "BertForSequenceClassification"), the top-level Hugging Face BERT keys
//     (hidden_size, num_hidden_layers, …), with pad_token_id when present.
func ModelConfig(ck *checkpoints.Checkpoint) (student.Config, error) {
	var top map[string]json.RawMessage
	if len(ck.Config.Model) > 0 {
		if err := json.Unmarshal(ck.Config.Model, &top); err != nil {
			return student.Config{}, fmt.Errorf("export: %s: config.json: %w", ck.Dir, err)
		}
	}
	var cfg student.Config
	var err error
	switch {
	case top["student"] != nil:
		err = json.Unmarshal(top["student"], &cfg)
	case top["kind"] != nil:
		err = json.Unmarshal(ck.Config.Model, &cfg)
	case ck.Config.Architecture == string(student.KindCrossEncoder) || hasArchitecture(top, "BertForSequenceClassification"):
		var ce student.CrossEncoderConfig
		if err = json.Unmarshal(ck.Config.Model, &ce.Encoder); err == nil && top["pad_token_id"] != nil {
			err = json.Unmarshal(top["pad_token_id"], &ce.PadID)
		}
		cfg = student.Config{Kind: student.KindCrossEncoder, CrossEncoder: &ce}
	default:
		return student.Config{}, fmt.Errorf("%w: %s: config.json has no student configuration (architecture %q)", ErrKind, ck.Dir, ck.Config.Architecture)
	}
	if err != nil {
		return student.Config{}, fmt.Errorf("export: %s: config.json: %w", ck.Dir, err)
	}
	if _, ok := encoderOf(cfg); !ok {
		return student.Config{}, fmt.Errorf("%w: %s: kind %q without its settings", ErrKind, ck.Dir, cfg.Kind)
	}
	return cfg, nil
}

func hasArchitecture(top map[string]json.RawMessage, name string) bool {
	var archs []string
	if json.Unmarshal(top["architectures"], &archs) != nil {
		return false
	}
	for _, a := range archs {
		if a == name {
			return true
		}
	}
	return false
}
