package bertonnx

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrInvalidConfig is returned (wrapped) when a Config fails Validate.
var ErrInvalidConfig = errors.New("bertonnx: invalid config")

// Config describes the shape of a BERT cross-encoder. The field names follow
// the Hugging Face BertConfig (vocab_size, hidden_size, ...).
type Config struct {
	// VocabSize is the number of rows of the word embedding table (30522 for
	// the uncased BERT WordPiece vocabulary).
	VocabSize int `json:"vocab_size"`
	// Hidden is the model width; it must be a multiple of Heads.
	Hidden int `json:"hidden_size"`
	// Layers is the number of transformer blocks (at least 1).
	Layers int `json:"num_hidden_layers"`
	// Heads is the number of attention heads per block.
	Heads int `json:"num_attention_heads"`
	// FFN is the width of the feed-forward (intermediate) layer.
	FFN int `json:"intermediate_size"`
	// MaxPosition is the number of position embeddings: the longest sequence
	// the model accepts.
	MaxPosition int `json:"max_position_embeddings"`
	// TypeVocabSize is the number of token type (segment) embeddings, 2 for
	// BERT. Zero means the model has no token type embeddings at all (as
	// DistilBERT); then WithTokenTypes must be false.
	TypeVocabSize int `json:"type_vocab_size"`
	// LayerNormEps is the epsilon of every LayerNorm (1e-12 for BERT).
	LayerNormEps float64 `json:"layer_norm_eps"`
	// NumLabels is the number of logits: 1 for a relevance score, 2 for a
	// binary classifier.
	NumLabels int `json:"num_labels"`
	// WithTokenTypes makes token_type_ids a model input. Without it the
	// written model takes input_ids and attention_mask only and uses token
	// type 0 everywhere (what BERT does when token_type_ids are not passed).
	WithTokenTypes bool `json:"with_token_types"`
	// RoBERTaPositions numbers positions as RoBERTa and XLM-RoBERTa do
	// (create_position_ids_from_input_ids): a token that is not padding
	// gets PadTokenID + its rank among the non-padding tokens (so the first
	// is PadTokenID+1), padding gets PadTokenID. MaxPosition must then
	// cover PadTokenID+1 more rows than the longest sequence (514 for 512
	// tokens and pad id 1).
	RoBERTaPositions bool `json:"roberta_positions,omitempty"`
	// PadTokenID is the id of the padding token (1 for RoBERTa and XLM-R),
	// used by RoBERTaPositions.
	PadTokenID int `json:"pad_token_id,omitempty"`
}

// Tiny is a two-layer BERT over the real uncased vocabulary: hidden 32, two
// heads, FFN 64, 512 positions, one label. Its weights take about 4 MB, so
// it suits tests.
func Tiny() Config {
	return Config{
		VocabSize:      30522,
		Hidden:         32,
		Layers:         2,
		Heads:          2,
		FFN:            64,
		MaxPosition:    512,
		TypeVocabSize:  2,
		LayerNormEps:   1e-12,
		NumLabels:      1,
		WithTokenTypes: true,
	}
}

// TinyRoBERTa is a two-layer RoBERTa- or XLM-RoBERTa-shaped cross-encoder
// over a vocabulary of vocabSize tokens with padding id padID: Tiny's
// widths, RoBERTa's positions (514 of them), one token type and no
// token_type_ids input, LayerNorm epsilon 1e-5.
func TinyRoBERTa(vocabSize, padID int) Config {
	c := Tiny()
	c.VocabSize = vocabSize
	c.MaxPosition = 514
	c.TypeVocabSize = 1
	c.WithTokenTypes = false
	c.LayerNormEps = 1e-5
	c.RoBERTaPositions = true
	c.PadTokenID = padID
	return c
}

// MiniLML6 has the size of cross-encoder/ms-marco-MiniLM-L-6-v2: six layers,
// hidden 384, twelve heads, FFN 1536, one label (about 22.7 M parameters).
func MiniLML6() Config {
	return Config{
		VocabSize:      30522,
		Hidden:         384,
		Layers:         6,
		Heads:          12,
		FFN:            1536,
		MaxPosition:    512,
		TypeVocabSize:  2,
		LayerNormEps:   1e-12,
		NumLabels:      1,
		WithTokenTypes: true,
	}
}

// Preset returns the Config named "tiny" or "minilm-l6".
func Preset(name string) (Config, error) {
	switch strings.ToLower(name) {
	case "tiny":
		return Tiny(), nil
	case "minilm-l6", "minilml6":
		return MiniLML6(), nil
	}
	return Config{}, fmt.Errorf("bertonnx: unknown preset %q (want tiny or minilm-l6)", name)
}

// HeadDim is the width of one attention head, Hidden / Heads.
func (c Config) HeadDim() int { return c.Hidden / c.Heads }

// Validate reports every field out of range, wrapped in ErrInvalidConfig.
func (c Config) Validate() error {
	var bad []string
	positive := []struct {
		name string
		v    int
	}{
		{"VocabSize", c.VocabSize}, {"Hidden", c.Hidden}, {"Layers", c.Layers},
		{"Heads", c.Heads}, {"FFN", c.FFN}, {"MaxPosition", c.MaxPosition},
	}
	for _, p := range positive {
		if p.v < 1 {
			bad = append(bad, fmt.Sprintf("%s must be at least 1 (got %d)", p.name, p.v))
		}
	}
	if c.Heads >= 1 && c.Hidden%c.Heads != 0 {
		bad = append(bad, fmt.Sprintf("Hidden %d is not a multiple of Heads %d", c.Hidden, c.Heads))
	}
	if c.TypeVocabSize < 0 {
		bad = append(bad, fmt.Sprintf("TypeVocabSize must not be negative (got %d)", c.TypeVocabSize))
	}
	if c.WithTokenTypes && c.TypeVocabSize < 1 {
		bad = append(bad, "WithTokenTypes needs TypeVocabSize of at least 1")
	}
	if !(c.LayerNormEps > 0) || math.IsInf(c.LayerNormEps, 0) {
		bad = append(bad, fmt.Sprintf("LayerNormEps must be positive and finite (got %g)", c.LayerNormEps))
	}
	if c.RoBERTaPositions && (c.PadTokenID < 0 || c.PadTokenID >= c.VocabSize || c.PadTokenID+2 > c.MaxPosition) {
		bad = append(bad, fmt.Sprintf("PadTokenID %d must be a token id below MaxPosition-1 with RoBERTaPositions", c.PadTokenID))
	}
	if c.NumLabels != 1 && c.NumLabels != 2 {
		bad = append(bad, fmt.Sprintf("NumLabels must be 1 or 2 (got %d)", c.NumLabels))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, strings.Join(bad, "; "))
	}
	return nil
}
