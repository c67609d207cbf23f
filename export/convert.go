package export

import (
	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/student"
)

// BertConfig returns the bertonnx configuration of a student encoder, for a
// one-logit cross-encoder with token types.
func BertConfig(enc student.EncoderConfig) bertonnx.Config {
	return bertonnx.Config{
		VocabSize: enc.VocabSize, Hidden: enc.Hidden, Layers: enc.Layers, Heads: enc.Heads,
		FFN: enc.FFN, MaxPosition: enc.MaxPosition, TypeVocabSize: enc.TypeVocabSize,
		LayerNormEps: enc.LayerNormEps, NumLabels: 1, WithTokenTypes: true,
	}
}
