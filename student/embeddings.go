package student

import "github.com/distill-ml/distill/student/nn"

// addEmbeddings creates BERT's embedding parameters:
//
//	bert.embeddings.word_embeddings.weight        [V, H]
//	bert.embeddings.position_embeddings.weight    [P, H]
//	bert.embeddings.token_type_embeddings.weight  [T, H]
//	bert.embeddings.LayerNorm.{weight,bias}       [H]
func addEmbeddings(ps *paramSet, c EncoderConfig) {
	ps.add(wordEmbeddings, initNormal, c.VocabSize, c.Hidden)
	ps.add("bert.embeddings.position_embeddings.weight", initNormal, c.MaxPosition, c.Hidden)
	ps.add("bert.embeddings.token_type_embeddings.weight", initNormal, c.TypeVocabSize, c.Hidden)
	ps.layerNorm("bert.embeddings.LayerNorm", c.Hidden)
}

// wordEmbeddings is the name of the word embedding matrix, which SPLADE's
// MLM decoder shares.
const wordEmbeddings = "bert.embeddings.word_embeddings.weight"

// embed maps ids [B, S] to LayerNorm(word + position + type) [B·S, H],
// every token of type 0.
func embed(p *pass, c EncoderConfig, ids ref) ref { return embedTyped(p, c, ids, ref{}) }

// embedTyped is embed with token types [B, S] (BERT's segment ids: 0 for
// the first segment, 1 for the second); a zero ref means type 0 everywhere.
func embedTyped(p *pass, c EncoderConfig, ids, types ref) ref {
	in := []ref{ids, p.param(wordEmbeddings),
		p.param("bert.embeddings.position_embeddings.weight"),
		p.param("bert.embeddings.token_type_embeddings.weight")}
	k := nn.NewEmbeddings()
	if types.n != nil || types.t != nil {
		k = nn.NewTypedEmbeddings()
		in = append(in, types)
	}
	x := p.apply(k, in...)
	x = p.apply(nn.NewLayerNorm(c.LayerNormEps), x,
		p.param("bert.embeddings.LayerNorm.weight"), p.param("bert.embeddings.LayerNorm.bias"))
	return p.dropout(x, c.HiddenDropout)
}
