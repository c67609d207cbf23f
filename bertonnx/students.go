package bertonnx

import (
	"errors"
	"maps"
	"slices"

	"github.com/advancedclimatesystems/gonnx/onnx"
)

// This file builds the retrieval students' graphs on the same BERT encoder
// as the cross-encoder: ColBERT's token embeddings and SPLADE's sparse
// vocabulary weights. Both read input_ids and attention_mask only (token
// type 0 everywhere, as the students are trained).

// Output names of the student graphs.
const (
	// OutputTokenEmbeddings is ColBERT's output, float32
	// [batch_size, sequence_length, dim]: every token's projection,
	// L2-normalised.
	OutputTokenEmbeddings = "token_embeddings"
	// OutputSparseWeights is SPLADE's output, float32 [batch_size, VocabSize]:
	// max over non-padding tokens of log(1 + ReLU(MLM logits)).
	OutputSparseWeights = "sparse_weights"
)

// Student head tensor names (Hugging Face / PyLate / SPLADE checkpoints).
const (
	NameColBERTLinear = "linear.weight"                       // [dim, Hidden], no bias
	nameMLMDense      = "cls.predictions.transform.dense"     // [Hidden, Hidden], bias [Hidden]
	nameMLMLN         = "cls.predictions.transform.LayerNorm" // [Hidden]
	nameMLMBias       = "cls.predictions.bias"                // [VocabSize]
)

// colbertEps bounds a token's norm from below in the normalisation, as
// PyTorch's F.normalize does.
const colbertEps = 1e-12

// EncoderSpecs lists the tensors of the BERT encoder alone: Specs without
// the pooler and the classifier.
func EncoderSpecs(cfg Config) []TensorSpec {
	all := Specs(cfg)
	return all[:len(all)-4]
}

// ColBERTSpecs lists the tensors of a ColBERT model: the encoder and
// linear.weight [dim, Hidden].
func ColBERTSpecs(cfg Config, dim int) []TensorSpec {
	return append(EncoderSpecs(cfg), TensorSpec{NameColBERTLinear, []int{dim, cfg.Hidden}})
}

// SPLADESpecs lists the tensors of a SPLADE model: the encoder and the MLM
// head, cls.predictions.transform.dense.{weight [Hidden, Hidden], bias
// [Hidden]}, cls.predictions.transform.LayerNorm.{weight, bias} [Hidden] and
// cls.predictions.bias [VocabSize]. The decoder is tied to the word
// embeddings.
func SPLADESpecs(cfg Config) []TensorSpec {
	h := cfg.Hidden
	return append(EncoderSpecs(cfg),
		TensorSpec{nameMLMDense + ".weight", []int{h, h}}, TensorSpec{nameMLMDense + ".bias", []int{h}},
		TensorSpec{nameMLMLN + ".weight", []int{h}}, TensorSpec{nameMLMLN + ".bias", []int{h}},
		TensorSpec{nameMLMBias, []int{cfg.VocabSize}})
}

// studentConfig is cfg as the student graphs use it: one label, no token
// type input (both fields are ignored by the student builders).
func studentConfig(cfg Config) (Config, error) {
	cfg.NumLabels, cfg.WithTokenTypes = 1, false
	return cfg, cfg.Validate()
}

// validateSpecs checks that w holds every tensor of specs, as Weights.Validate.
func validateSpecs(w Weights, specs []TensorSpec) error {
	var errs []error
	for _, sp := range specs {
		t, ok := w[sp.Name]
		switch {
		case !ok:
			errs = append(errs, &TensorError{Name: sp.Name, Want: sp.Shape, Err: ErrMissingTensor})
		case !slices.Equal(t.Shape, sp.Shape) || len(t.Data) != numel(sp.Shape):
			errs = append(errs, &TensorError{Name: sp.Name, Want: sp.Shape, Got: slices.Clone(t.Shape), DataLen: len(t.Data), Err: ErrTensorShape})
		case !allFinite(t.Data):
			errs = append(errs, &TensorError{Name: sp.Name, Want: sp.Shape, Got: t.Shape, Err: ErrNonFinite})
		}
	}
	return errors.Join(errs...)
}

// encoderGraph starts a student graph: its inputs, the weights of specs and
// the encoder, returning the builder and the last hidden states [B,S,H].
func encoderGraph(cfg Config, w Weights, specs []TensorSpec, opts WriteOptions) (*graph, string, error) {
	if err := validateSpecs(w, specs); err != nil {
		return nil, "", err
	}
	opset, err := opts.opset()
	if err != nil {
		return nil, "", err
	}
	b := newGraph("main_graph", opset)
	b.g.Input = append(b.g.Input,
		valueInfo(inputIDs, onnx.TensorProto_INT64, DimBatch, DimSequence),
		valueInfo(attentionMask, onnx.TensorProto_INT64, DimBatch, DimSequence))
	for _, sp := range specs {
		b.weight(sp.Name, w[sp.Name])
	}
	x := b.embeddings(cfg, false) // [B,S,H]
	mask := b.extendedMask()      // [B,1,1,S]
	for i := range cfg.Layers {
		x = b.layer(cfg, i, x, mask)
	}
	return b, x, nil
}

// BuildColBERT returns a ColBERT model: the encoder, the bias-free
// projection linear.weight [dim, Hidden] and L2 normalisation per token,
//
//	token_embeddings_bs = W·h_bs / max(‖W·h_bs‖₂, 1e-12)
//
// for every position, padding included (the caller drops padding and
// skiplist tokens). The inputs are input_ids and attention_mask; the caller
// inserts ColBERT's [Q]/[D] markers and [MASK] query padding (see package
// export). cfg's NumLabels and WithTokenTypes are ignored; dim is read from
// linear.weight.
func BuildColBERT(cfg Config, w Weights, opts WriteOptions) (*onnx.ModelProto, error) {
	cfg, err := studentConfig(cfg)
	if err != nil {
		return nil, err
	}
	lin, ok := w[NameColBERTLinear]
	if !ok || len(lin.Shape) != 2 {
		return nil, &TensorError{Name: NameColBERTLinear, Want: []int{-1, cfg.Hidden}, Got: lin.Shape, Err: ErrMissingTensor}
	}
	dim := lin.Shape[0]
	b, x, err := encoderGraph(cfg, w, ColBERTSpecs(cfg, dim), opts)
	if err != nil {
		return nil, err
	}
	const s = "/colbert"
	wt := b.op(s+"/linear/Transpose", "Transpose", []string{NameColBERTLinear}, attrInts("perm", 1, 0))
	y := b.op(s+"/linear/MatMul", "MatMul", []string{x, wt}) // [B,S,dim]
	sq := b.op(s+"/normalize/Mul", "Mul", []string{y, y})
	ss := b.op(s+"/normalize/ReduceSum", "ReduceSum", []string{sq, b.constInt64(false, -1)}, attrInt("keepdims", 1)) // [B,S,1]
	n := b.op(s+"/normalize/Sqrt", "Sqrt", []string{ss})
	n = b.op(s+"/normalize/Max", "Max", []string{n, b.constFloat(colbertEps)})
	b.opTo(OutputTokenEmbeddings, s+"/normalize/Div", "Div", []string{y, n})
	b.g.Output = append(b.g.Output, valueInfo(OutputTokenEmbeddings, onnx.TensorProto_FLOAT, DimBatch, DimSequence, dim))
	return wrapModel(b, cfg, KindColBERT, opts)
}

// BuildSPLADE returns a SPLADE model: the encoder, the MLM head (transform
// dense + GELU + LayerNorm, decoder tied to the word embeddings plus
// cls.predictions.bias) and SPLADE's max pooling,
//
//	sparse_weights_bj = max_{s: mask_bs = 1} log(1 + ReLU(z_bsj))
//
// [batch_size, VocabSize]. The inputs are input_ids and attention_mask,
// "[CLS] text [SEP]" as the tokenizer encodes a single text. cfg's
// NumLabels and WithTokenTypes are ignored.
func BuildSPLADE(cfg Config, w Weights, opts WriteOptions) (*onnx.ModelProto, error) {
	cfg, err := studentConfig(cfg)
	if err != nil {
		return nil, err
	}
	b, x, err := encoderGraph(cfg, w, SPLADESpecs(cfg), opts)
	if err != nil {
		return nil, err
	}
	const s = "/cls/predictions"
	h := b.linear3(s+"/transform/dense", nameMLMDense, x)
	h = b.gelu(s+"/transform/transform_act_fn", h)
	h = b.layerNorm(s+"/transform/LayerNorm", nameMLMLN, h, cfg.LayerNormEps) // [B,S,H]
	et := b.op(s+"/decoder/Transpose", "Transpose", []string{nameWordEmb}, attrInts("perm", 1, 0))
	z := b.op(s+"/decoder/MatMul", "MatMul", []string{h, et})    // [B,S,V]
	z = b.op(s+"/decoder/Add", "Add", []string{z, nameMLMBias})  // [B,S,V]
	a := b.op("/splade/Relu", "Relu", []string{z})               // ReLU(z)
	a = b.op("/splade/Add", "Add", []string{a, b.constFloat(1)}) // 1 + ReLU(z)
	a = b.op("/splade/Log", "Log", []string{a})                  // ≥ 0
	m := b.op("/splade/Cast", "Cast", []string{attentionMask}, attrInt("to", int64(onnx.TensorProto_FLOAT)))
	m = b.op("/splade/Unsqueeze", "Unsqueeze", []string{m, b.constInt64(false, 2)}) // [B,S,1]
	a = b.op("/splade/Mul", "Mul", []string{a, m})                                  // padding → 0, below no real value
	if b.opset >= 18 {
		b.opTo(OutputSparseWeights, "/splade/ReduceMax", "ReduceMax", []string{a, b.constInt64(false, 1)}, attrInt("keepdims", 0))
	} else {
		b.opTo(OutputSparseWeights, "/splade/ReduceMax", "ReduceMax", []string{a}, attrInts("axes", 1), attrInt("keepdims", 0))
	}
	b.g.Output = append(b.g.Output, valueInfo(OutputSparseWeights, onnx.TensorProto_FLOAT, DimBatch, cfg.VocabSize))
	return wrapModel(b, cfg, KindSPLADE, opts)
}

// MetadataKindKey is the model metadata key naming what a student model
// computes: KindColBERT or KindSPLADE (cross-encoders of BuildModel have
// none).
const MetadataKindKey = "bertonnx.kind"

// The values of MetadataKindKey, spelled as student.Kind spells them.
const (
	KindColBERT = "colbert"
	KindSPLADE  = "splade"
)

// WriteColBERT writes the model of BuildColBERT to path atomically.
func WriteColBERT(path string, cfg Config, w Weights, opts WriteOptions) error {
	return writeModel(path, func() (*onnx.ModelProto, error) { return BuildColBERT(cfg, w, opts) })
}

// WriteSPLADE writes the model of BuildSPLADE to path atomically.
func WriteSPLADE(path string, cfg Config, w Weights, opts WriteOptions) error {
	return writeModel(path, func() (*onnx.ModelProto, error) { return BuildSPLADE(cfg, w, opts) })
}

// metadataProps returns the config, the kind (when not empty; the
// cross-encoder of BuildModel records none) and the caller's entries (keys
// sorted) as model metadata.
func metadataProps(config, kind string, extra map[string]string) []*onnx.StringStringEntryProto {
	props := []*onnx.StringStringEntryProto{{Key: MetadataConfigKey, Value: config}}
	if kind != "" {
		props = append(props, &onnx.StringStringEntryProto{Key: MetadataKindKey, Value: kind})
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		props = append(props, &onnx.StringStringEntryProto{Key: k, Value: extra[k]})
	}
	return props
}
