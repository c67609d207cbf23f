package student

import (
	"errors"
	"fmt"
)

// EncoderConfig sizes the BERT encoder. The JSON names are those of a
// Hugging Face BERT config.json, which therefore decodes into it directly.
type EncoderConfig struct {
	VocabSize     int     `json:"vocab_size" yaml:"vocab_size"`                           // tokenizer vocabulary, e.g. 30522
	Hidden        int     `json:"hidden_size" yaml:"hidden_size"`                         // model width H
	Layers        int     `json:"num_hidden_layers" yaml:"num_hidden_layers"`             // transformer layers
	Heads         int     `json:"num_attention_heads" yaml:"num_attention_heads"`         // attention heads; must divide Hidden
	FFN           int     `json:"intermediate_size" yaml:"intermediate_size"`             // feed-forward width
	MaxPosition   int     `json:"max_position_embeddings" yaml:"max_position_embeddings"` // longest sequence
	TypeVocabSize int     `json:"type_vocab_size" yaml:"type_vocab_size"`                 // token types (segments)
	LayerNormEps  float64 `json:"layer_norm_eps" yaml:"layer_norm_eps"`                   // ε of every LayerNorm
	// HiddenDropout is the dropout probability, in training only, of the
	// embeddings' output and of each attention and feed-forward block's
	// output before its residual LayerNorm (Hugging Face BERT's
	// hidden_dropout_prob); 0 trains without dropout.
	HiddenDropout float64 `json:"hidden_dropout_prob,omitempty" yaml:"hidden_dropout_prob,omitempty"`
}

// StudentEncoder returns the student size used in the benchmarks: 4 layers,
// hidden 256, 4 heads, FFN 1024, the 30,522-token BERT vocabulary.
func StudentEncoder() EncoderConfig {
	return EncoderConfig{VocabSize: 30522, Hidden: 256, Layers: 4, Heads: 4, FFN: 1024,
		MaxPosition: 512, TypeVocabSize: 2, LayerNormEps: 1e-12}
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("student: invalid config")

// Validate reports the first field out of range.
func (c EncoderConfig) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"vocab_size", c.VocabSize}, {"hidden_size", c.Hidden}, {"num_hidden_layers", c.Layers},
		{"num_attention_heads", c.Heads}, {"intermediate_size", c.FFN},
		{"max_position_embeddings", c.MaxPosition}, {"type_vocab_size", c.TypeVocabSize}} {
		if f.v <= 0 {
			return fmt.Errorf("%w: %s = %d, want > 0", ErrConfig, f.name, f.v)
		}
	}
	if c.Hidden%c.Heads != 0 {
		return fmt.Errorf("%w: hidden_size %d is not a multiple of num_attention_heads %d", ErrConfig, c.Hidden, c.Heads)
	}
	if c.LayerNormEps <= 0 {
		return fmt.Errorf("%w: layer_norm_eps = %g, want > 0", ErrConfig, c.LayerNormEps)
	}
	if !(c.HiddenDropout >= 0 && c.HiddenDropout < 1) {
		return fmt.Errorf("%w: hidden_dropout_prob = %g, want 0 ≤ p < 1", ErrConfig, c.HiddenDropout)
	}
	return nil
}

// ColBERTConfig configures the ColBERT student. Token ids default to those
// of bert-base-uncased: [unused0] = 1 ("[Q]"), [unused1] = 2 ("[D]"),
// [MASK] = 103, [PAD] = 0.
type ColBERTConfig struct {
	Encoder EncoderConfig `json:"encoder" yaml:"encoder"`
	// Dim is the size of the token embeddings (the bias-free projection).
	Dim int `json:"dim" yaml:"dim"`
	// QueryLength is the fixed query length after the [Q] marker is inserted
	// and [MASK] padding (query augmentation) is appended.
	QueryLength int `json:"query_length" yaml:"query_length"`
	// AttendToMaskTokens lets the query encoder attend to the [MASK]
	// padding; the [MASK] tokens always score.
	AttendToMaskTokens bool  `json:"attend_to_mask_tokens" yaml:"attend_to_mask_tokens"`
	QueryMarkerID      int32 `json:"query_marker_id" yaml:"query_marker_id"`
	DocMarkerID        int32 `json:"doc_marker_id" yaml:"doc_marker_id"`
	MaskID             int32 `json:"mask_id" yaml:"mask_id"`
	PadID              int32 `json:"pad_id" yaml:"pad_id"`
	// SkipIDs are document tokens left out of MaxSim (ColBERT's punctuation
	// skiplist); the caller derives them from the tokenizer.
	SkipIDs []int32 `json:"skip_ids,omitempty" yaml:"skip_ids,omitempty"`
}

// DefaultColBERT returns ColBERT's settings on the given encoder: dim 128,
// 32 query tokens, attention to the [MASK] padding.
func DefaultColBERT(enc EncoderConfig) ColBERTConfig {
	return ColBERTConfig{Encoder: enc, Dim: 128, QueryLength: 32, AttendToMaskTokens: true,
		QueryMarkerID: 1, DocMarkerID: 2, MaskID: 103, PadID: 0}
}

// Validate reports the first setting out of range.
func (c ColBERTConfig) Validate() error {
	if err := c.Encoder.Validate(); err != nil {
		return err
	}
	if c.Dim <= 0 {
		return fmt.Errorf("%w: colbert dim = %d, want > 0", ErrConfig, c.Dim)
	}
	if c.QueryLength < 3 || c.QueryLength > c.Encoder.MaxPosition {
		return fmt.Errorf("%w: query_length = %d, want 3..%d", ErrConfig, c.QueryLength, c.Encoder.MaxPosition)
	}
	for name, id := range map[string]int32{"query_marker_id": c.QueryMarkerID, "doc_marker_id": c.DocMarkerID, "mask_id": c.MaskID, "pad_id": c.PadID} {
		if id < 0 || int(id) >= c.Encoder.VocabSize {
			return fmt.Errorf("%w: %s = %d is outside the vocabulary of %d", ErrConfig, name, id, c.Encoder.VocabSize)
		}
	}
	return nil
}

// SPLADEConfig configures the SPLADE student.
type SPLADEConfig struct {
	Encoder EncoderConfig `json:"encoder" yaml:"encoder"`
	// Tile is the number of vocabulary rows the fused head scores at once
	// (default 1024); it trades memory for GEMM size, not results.
	Tile int `json:"tile,omitempty" yaml:"tile,omitempty"`
	// PadID pads sequences in inference batches.
	PadID int32 `json:"pad_id" yaml:"pad_id"`
}

// DefaultSPLADE returns SPLADE's settings on the given encoder.
func DefaultSPLADE(enc EncoderConfig) SPLADEConfig {
	return SPLADEConfig{Encoder: enc, Tile: 1024}
}

// Validate reports the first setting out of range.
func (c SPLADEConfig) Validate() error {
	if err := c.Encoder.Validate(); err != nil {
		return err
	}
	if c.Tile < 0 {
		return fmt.Errorf("%w: splade tile = %d, want ≥ 0", ErrConfig, c.Tile)
	}
	if c.PadID < 0 || int(c.PadID) >= c.Encoder.VocabSize {
		return fmt.Errorf("%w: pad_id = %d is outside the vocabulary of %d", ErrConfig, c.PadID, c.Encoder.VocabSize)
	}
	return nil
}

// CrossEncoderConfig configures the cross-encoder: BERT reading a
// query–document pair as one sequence "[CLS] q [SEP] d [SEP]" (token types 0
// for the query part, 1 for the document part), BERT's pooler and a
// one-logit classifier.
type CrossEncoderConfig struct {
	Encoder EncoderConfig `json:"encoder" yaml:"encoder"`
	// PadID pads sequences in inference batches.
	PadID int32 `json:"pad_id" yaml:"pad_id"`
}

// DefaultCrossEncoder returns the cross-encoder's settings on the given
// encoder.
func DefaultCrossEncoder(enc EncoderConfig) CrossEncoderConfig {
	return CrossEncoderConfig{Encoder: enc}
}

// Validate reports the first setting out of range. A cross-encoder needs
// two token types.
func (c CrossEncoderConfig) Validate() error {
	if err := c.Encoder.Validate(); err != nil {
		return err
	}
	if c.Encoder.TypeVocabSize < 2 {
		return fmt.Errorf("%w: type_vocab_size = %d, a cross-encoder needs 2 (query and document segments)", ErrConfig, c.Encoder.TypeVocabSize)
	}
	if c.Encoder.MaxPosition < 3 {
		return fmt.Errorf("%w: max_position_embeddings = %d, a pair needs at least 3", ErrConfig, c.Encoder.MaxPosition)
	}
	if c.PadID < 0 || int(c.PadID) >= c.Encoder.VocabSize {
		return fmt.Errorf("%w: pad_id = %d is outside the vocabulary of %d", ErrConfig, c.PadID, c.Encoder.VocabSize)
	}
	return nil
}

// Config names a student kind and holds its settings; it is what
// checkpoints record and what New builds from.
type Config struct {
	Kind         Kind                `json:"kind" yaml:"kind"`
	ColBERT      *ColBERTConfig      `json:"colbert,omitempty" yaml:"colbert,omitempty"`
	SPLADE       *SPLADEConfig       `json:"splade,omitempty" yaml:"splade,omitempty"`
	CrossEncoder *CrossEncoderConfig `json:"crossencoder,omitempty" yaml:"crossencoder,omitempty"`
}

// Encoder returns the encoder settings of the model c configures; ok is
// false when c's kind is unknown or its settings are missing.
func (c Config) Encoder() (enc EncoderConfig, ok bool) {
	switch {
	case c.Kind == KindColBERT && c.ColBERT != nil:
		return c.ColBERT.Encoder, true
	case c.Kind == KindSPLADE && c.SPLADE != nil:
		return c.SPLADE.Encoder, true
	case c.Kind == KindCrossEncoder && c.CrossEncoder != nil:
		return c.CrossEncoder.Encoder, true
	}
	return EncoderConfig{}, false
}
