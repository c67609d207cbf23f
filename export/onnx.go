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
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/student"
)

// MetadataStudentKey is the ONNX metadata key holding the model's
// student.Config as JSON (ColBERT's marker ids, query length, skip list).
const MetadataStudentKey = "distill.student"

// ErrKind is returned (wrapped) for a model whose kind cannot be exported.
// A checkpoint that records no model configuration fails earlier, in
// ranker.LoadModel, with ranker.ErrKind.
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
	enc, ok := cfg.Encoder()
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
	bc, w := BertConfig(enc), bertonnx.Weights(student.Weights(m.Params()))
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
// (see ranker.ModelConfig); the weights must cover every parameter.
func Checkpoint(dir, path string, opts Options) (*Result, error) {
	m, ck, err := ranker.LoadModel(dir)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
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
