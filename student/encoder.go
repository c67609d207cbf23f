package student

import (
	"fmt"

	"github.com/distill-ml/distill/student/nn"
)

// addEncoder creates all encoder parameters: the embeddings and, for each
// layer i, bert.encoder.layer.i.{attention..., intermediate.dense,
// output.dense, output.LayerNorm}.
func addEncoder(ps *paramSet, c EncoderConfig) {
	addEmbeddings(ps, c)
	for i := 0; i < c.Layers; i++ {
		prefix := layerPrefix(i)
		addSelfAttention(ps, prefix, c)
		ps.linear(prefix+".intermediate.dense", c.FFN, c.Hidden, true)
		ps.linear(prefix+".output.dense", c.Hidden, c.FFN, true)
		ps.layerNorm(prefix+".output.LayerNorm", c.Hidden)
	}
}

func layerPrefix(i int) string { return fmt.Sprintf("bert.encoder.layer.%d", i) }

// encode maps ids [B, S] with attention mask [B, S] (1 = attend) to the
// last hidden states [B·S, H].
func encode(p *pass, c EncoderConfig, ids, mask ref) ref {
	x := embed(p, c, ids)
	for i := 0; i < c.Layers; i++ {
		x = encoderLayer(p, layerPrefix(i), c, x, mask)
	}
	return x
}

// encoderLayer is one BERT layer: self-attention, then the GELU
// feed-forward block with its residual LayerNorm.
func encoderLayer(p *pass, prefix string, c EncoderConfig, x, mask ref) ref {
	a := selfAttention(p, prefix, c, x, mask)
	h := p.apply(nn.NewLinear(false), a, p.param(prefix+".intermediate.dense.weight")) // [B·S, FFN]
	h = p.apply(nn.NewBiasGELU(), h, p.param(prefix+".intermediate.dense.bias"))
	o := p.linear(prefix+".output.dense", h, true) // [B·S, H]
	o = p.dropout(o, c.HiddenDropout)
	return p.apply(nn.NewAddLayerNorm(c.LayerNormEps), o, a,
		p.param(prefix+".output.LayerNorm.weight"), p.param(prefix+".output.LayerNorm.bias"))
}
