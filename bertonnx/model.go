package bertonnx

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/distill-ml/distill/internal/fsutil"
)

// Graph input and output names, as Hugging Face exports use them.
const (
	inputIDs      = "input_ids"
	attentionMask = "attention_mask"
	tokenTypeIDs  = "token_type_ids"
	outputLogits  = "logits"
)

// Dynamic dimension names of the inputs and the output.
const (
	DimBatch    = "batch_size"
	DimSequence = "sequence_length"
)

// Opset limits: LayerNormalization is a single node from opset 17; below
// it is decomposed. Opset 13 is the first with Unsqueeze taking axes as an
// input and Softmax over one axis.
const (
	DefaultOpset = 17
	MinOpset     = 13
	MaxOpset     = 21
)

// MetadataConfigKey is the model metadata key under which BuildModel stores
// the Config as JSON.
const MetadataConfigKey = "bertonnx.config"

// WriteOptions tunes the written model. The zero value writes opset 17 with
// the inputs the Config asks for.
type WriteOptions struct {
	// Opset is the ai.onnx opset version, MinOpset to MaxOpset; 0 means
	// DefaultOpset.
	Opset int
	// OmitTokenTypeIDs writes a model with only input_ids and
	// attention_mask even when cfg.WithTokenTypes, as DistilBERT- or
	// RoBERTa-based exports are; token type 0 is then used everywhere.
	OmitTokenTypeIDs bool
	// Int32Inputs declares the inputs int32 (cast to int64 inside), as
	// some exports for web and TensorRT runtimes have them.
	Int32Inputs bool
	// Float16Logits declares the output float16 (cast from float32 at the
	// end), as a float16 export (optimum-cli --fp16) delivers it.
	Float16Logits bool
	// ProducerName is recorded in the model; "" means "distill-bertonnx".
	ProducerName string
	// Metadata is added to the model's metadata properties (keys sorted),
	// e.g. the configuration of the model the weights came from.
	Metadata map[string]string
}

// opset returns the opset to write, or an error when out of range.
func (o WriteOptions) opset() (int, error) {
	if o.Opset == 0 {
		return DefaultOpset, nil
	}
	if o.Opset < MinOpset || o.Opset > MaxOpset {
		return 0, fmt.Errorf("bertonnx: opset %d not supported (want %d to %d)", o.Opset, MinOpset, MaxOpset)
	}
	return o.Opset, nil
}

// irVersion is the lowest ONNX IR version that allows opset.
func irVersion(opset int) int64 {
	switch {
	case opset <= 14:
		return 7
	case opset <= 18:
		return 8
	case opset <= 20:
		return 9
	}
	return 10
}

// BuildModel returns cfg with weights w as an in-memory ONNX model (see the
// package comment for its inputs and output). It fails if cfg or w is
// invalid (see Config.Validate and Weights.Validate) or the opset is out of
// range.
func BuildModel(cfg Config, w Weights, opts WriteOptions) (*onnx.ModelProto, error) {
	if err := w.Validate(cfg); err != nil {
		return nil, err
	}
	opset, err := opts.opset()
	if err != nil {
		return nil, err
	}
	tokenTypes := cfg.WithTokenTypes && !opts.OmitTokenTypeIDs

	b := newGraph("main_graph", opset)
	b.g.Input = append(b.g.Input,
		valueInfo(inputIDs, onnx.TensorProto_INT64, DimBatch, DimSequence),
		valueInfo(attentionMask, onnx.TensorProto_INT64, DimBatch, DimSequence))
	if tokenTypes {
		b.g.Input = append(b.g.Input, valueInfo(tokenTypeIDs, onnx.TensorProto_INT64, DimBatch, DimSequence))
	}
	b.g.Output = append(b.g.Output, valueInfo(outputLogits, onnx.TensorProto_FLOAT, DimBatch, cfg.NumLabels))
	for _, sp := range Specs(cfg) {
		b.weight(sp.Name, w[sp.Name])
	}

	x := b.embeddings(cfg, tokenTypes) // [B,S,H]
	mask := b.extendedMask()           // [B,1,1,S]
	for i := range cfg.Layers {
		x = b.layer(cfg, i, x, mask)
	}
	b.classifierHead(x) // [B,NumLabels]

	if opts.Int32Inputs {
		b.int32Inputs()
	}
	if opts.Float16Logits {
		b.float16Output()
	}

	return wrapModel(b, cfg, "", opts)
}

// wrapModel wraps a finished graph into a model of b's opset with cfg (and
// a student's kind, "" for the cross-encoder) in its metadata.
func wrapModel(b *graph, cfg Config, kind string, opts WriteOptions) (*onnx.ModelProto, error) {
	meta, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("bertonnx: encode config: %w", err)
	}
	producer := opts.ProducerName
	if producer == "" {
		producer = "distill-bertonnx"
	}
	return &onnx.ModelProto{
		IrVersion:     irVersion(b.opset),
		OpsetImport:   []*onnx.OperatorSetIdProto{{Domain: "", Version: int64(b.opset)}},
		ProducerName:  producer,
		Graph:         b.g,
		MetadataProps: metadataProps(string(meta), kind, opts.Metadata),
	}, nil
}

// MarshalModel returns the serialised model of BuildModel.
func MarshalModel(cfg Config, w Weights, opts WriteOptions) ([]byte, error) {
	m, err := BuildModel(cfg, w, opts)
	if err != nil {
		return nil, err
	}
	return marshal(m)
}

// marshal serialises a model deterministically (the same bytes every run).
func marshal(m *onnx.ModelProto) ([]byte, error) {
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("bertonnx: marshal model: %w", err)
	}
	return data, nil
}

// WriteCrossEncoder writes the model of BuildModel to path atomically: the
// file appears complete or not at all.
func WriteCrossEncoder(path string, cfg Config, w Weights, opts WriteOptions) error {
	return writeModel(path, func() (*onnx.ModelProto, error) { return BuildModel(cfg, w, opts) })
}

// writeModel writes the model build returns to path atomically.
func writeModel(path string, build func() (*onnx.ModelProto, error)) error {
	m, err := build()
	if err != nil {
		return err
	}
	data, err := marshal(m)
	if err != nil {
		return err
	}
	if err := fsutil.WriteAtomic(path, 0o644, func(wr io.Writer) error {
		_, err := wr.Write(data)
		return err
	}); err != nil {
		return fmt.Errorf("bertonnx: write %s: %w", path, err)
	}
	return nil
}
