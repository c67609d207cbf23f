package student

import "github.com/distill-ml/distill/student/nn"

// addSelfAttention creates the attention block of layer prefix:
//
//	prefix.attention.self.{query,key,value}.{weight [H,H], bias [H]}
//	prefix.attention.output.dense.{weight [H,H], bias [H]}
//	prefix.attention.output.LayerNorm.{weight,bias} [H]
func addSelfAttention(ps *paramSet, prefix string, c EncoderConfig) {
	for _, n := range []string{"query", "key", "value"} {
		ps.linear(prefix+".attention.self."+n, c.Hidden, c.Hidden, true)
	}
	ps.linear(prefix+".attention.output.dense", c.Hidden, c.Hidden, true)
	ps.layerNorm(prefix+".attention.output.LayerNorm", c.Hidden)
}

// selfAttention maps x [B·S, H] to LayerNorm(x + Wo·MHA(x)) [B·S, H].
func selfAttention(p *pass, prefix string, c EncoderConfig, x, mask ref) ref {
	q := p.linear(prefix+".attention.self.query", x, true)
	k := p.linear(prefix+".attention.self.key", x, true)
	v := p.linear(prefix+".attention.self.value", x, true)
	ctx := p.apply(nn.NewAttention(c.Heads), q, k, v, mask)
	o := p.linear(prefix+".attention.output.dense", ctx, true)
	o = p.dropout(o, c.HiddenDropout)
	return p.apply(nn.NewAddLayerNorm(c.LayerNormEps), o, x,
		p.param(prefix+".attention.output.LayerNorm.weight"), p.param(prefix+".attention.output.LayerNorm.bias"))
}
