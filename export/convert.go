package export

import (
	"slices"

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

// Weights copies a model's parameters into bertonnx weights, by name.
func Weights(m student.Model) bertonnx.Weights {
	w := bertonnx.Weights{}
	for _, p := range m.Params() {
		w[p.Name] = bertonnx.Tensor{Shape: slices.Clone([]int(p.Node.Shape())), Data: slices.Clone(p.Node.Value().Data().([]float32))}
	}
	return w
}

// encoderOf returns the encoder settings of a student configuration.
func encoderOf(c student.Config) (student.EncoderConfig, bool) {
	switch {
	case c.Kind == student.KindCrossEncoder && c.CrossEncoder != nil:
		return c.CrossEncoder.Encoder, true
	case c.Kind == student.KindColBERT && c.ColBERT != nil:
		return c.ColBERT.Encoder, true
	case c.Kind == student.KindSPLADE && c.SPLADE != nil:
		return c.SPLADE.Encoder, true
	}
	return student.EncoderConfig{}, false
}
