package bertonnx

import (
	"fmt"
	"math"

	"github.com/advancedclimatesystems/gonnx/onnx"
)

// This file builds the BERT graph from ONNX operators, in the form
// torch.onnx.export gives BertForSequenceClassification. Shapes are noted as
// B = batch_size, S = sequence_length, H = Hidden, h = Heads, d = H/h.

// embeddings returns LayerNorm(word[input_ids] + position[0..S) + type[token_type_ids]),
// [B,S,H]. Without a token_type_ids input, type 0 is added everywhere. With
// RoBERTaPositions the positions come from input_ids instead (see Config).
func (b *graph) embeddings(cfg Config, tokenTypes bool) string {
	const s = "/bert/embeddings"
	x := b.op(s+"/word_embeddings/Gather", "Gather", []string{nameWordEmb, inputIDs}) // [B,S,H]
	var pos string
	if cfg.RoBERTaPositions {
		// notPad·cumsum(notPad) + pad, as RoBERTa's create_position_ids_from_input_ids.
		pad := b.constInt64(true, int64(cfg.PadTokenID))
		isPad := b.op(s+"/Equal", "Equal", []string{inputIDs, pad})
		notPad := b.op(s+"/Not", "Not", []string{isPad})
		m := b.op(s+"/Cast", "Cast", []string{notPad}, attrInt("to", int64(onnx.TensorProto_INT64))) // [B,S]
		cum := b.op(s+"/CumSum", "CumSum", []string{m, b.constInt64(true, 1)})
		pos = b.op(s+"/Mul", "Mul", []string{cum, m})
		pos = b.op(s+"/Add_positions", "Add", []string{pos, pad}) // [B,S]
	} else {
		shape := b.op(s+"/Shape", "Shape", []string{inputIDs})                        // [2]
		seqLen := b.op(s+"/Gather", "Gather", []string{shape, b.constInt64(true, 1)}) // scalar S
		pos = b.op(s+"/Range", "Range", []string{b.constInt64(true, 0), seqLen, b.constInt64(true, 1)})
	}
	posEmb := b.op(s+"/position_embeddings/Gather", "Gather", []string{namePosEmb, pos}) // [S,H] or [B,S,H]
	x = b.op(s+"/Add", "Add", []string{x, posEmb})
	if cfg.TypeVocabSize > 0 {
		ids := b.constInt64(true, 0) // type 0 as a scalar index: [H], broadcast
		if tokenTypes {
			ids = tokenTypeIDs // [B,S,H]
		}
		typeEmb := b.op(s+"/token_type_embeddings/Gather", "Gather", []string{nameTypeEmb, ids})
		x = b.op(s+"/Add_1", "Add", []string{x, typeEmb})
	}
	return b.layerNorm(s+"/LayerNorm", nameEmbLN, x, cfg.LayerNormEps)
}

// extendedMask turns attention_mask [B,S] (1 = attend, 0 = padding) into
// the additive mask (1 − mask)·min_float32, [B,1,1,S], broadcast over heads
// and query positions. Recent Hugging Face transformers versions use
// torch.finfo(dtype).min like this; older ones used −10000. Both give padding
// keys an attention weight of exactly 0 after Softmax in float32.
func (b *graph) extendedMask() string {
	const s = "/bert"
	m := b.op(s+"/Cast", "Cast", []string{attentionMask}, attrInt("to", int64(onnx.TensorProto_FLOAT)))
	m = b.op(s+"/Unsqueeze", "Unsqueeze", []string{m, b.constInt64(false, 1, 2)}) // [B,1,1,S]
	m = b.op(s+"/Sub", "Sub", []string{b.constFloat(1), m})
	return b.op(s+"/Mul", "Mul", []string{m, b.constFloat(-math.MaxFloat32)})
}

// layer appends transformer block i to x [B,S,H] and returns its output [B,S,H].
func (b *graph) layer(cfg Config, i int, x, mask string) string {
	s := fmt.Sprintf("/bert/encoder/layer.%d", i)
	p := layerPrefix(i)
	eps := cfg.LayerNormEps

	ctx := b.selfAttention(cfg, s+"/attention/self", p, x, mask)
	a := b.linear3(s+"/attention/output/dense", p+nameAttnOut, ctx)
	a = b.op(s+"/attention/output/Add", "Add", []string{a, x})
	a = b.layerNorm(s+"/attention/output/LayerNorm", p+nameAttnLN, a, eps)

	f := b.linear3(s+"/intermediate/dense", p+nameInterm, a) // [B,S,FFN]
	f = b.gelu(s+"/intermediate/intermediate_act_fn", f)
	f = b.linear3(s+"/output/dense", p+nameOutput, f) // [B,S,H]
	f = b.op(s+"/output/Add", "Add", []string{f, a})
	return b.layerNorm(s+"/output/LayerNorm", p+nameOutputLN, f, eps)
}

// selfAttention returns softmax(Q·Kᵀ/√d + mask)·V with the heads merged back, [B,S,H].
func (b *graph) selfAttention(cfg Config, s, p, x, mask string) string {
	h, d := int64(cfg.Heads), int64(cfg.HeadDim())
	split := b.constInt64(false, 0, 0, h, d) // Reshape: 0 keeps B and S
	heads := func(name string, perm ...int64) string {
		t := b.linear3(s+"/"+name, p+"attention.self."+name, x)     // [B,S,H]
		t = b.op(s+"/Reshape_"+name, "Reshape", []string{t, split}) // [B,S,h,d]
		return b.op(s+"/Transpose_"+name, "Transpose", []string{t}, attrInts("perm", perm...))
	}
	q := heads("query", 0, 2, 1, 3) // [B,h,S,d]
	k := heads("key", 0, 2, 3, 1)   // [B,h,d,S]
	v := heads("value", 0, 2, 1, 3) // [B,h,S,d]

	scores := b.op(s+"/MatMul", "MatMul", []string{q, k}) // [B,h,S,S]
	scores = b.op(s+"/Div", "Div", []string{scores, b.constFloat(float32(math.Sqrt(float64(d))))})
	scores = b.op(s+"/Add", "Add", []string{scores, mask})
	probs := b.op(s+"/Softmax", "Softmax", []string{scores}, attrInt("axis", -1))
	ctx := b.op(s+"/MatMul_1", "MatMul", []string{probs, v})                             // [B,h,S,d]
	ctx = b.op(s+"/Transpose", "Transpose", []string{ctx}, attrInts("perm", 0, 2, 1, 3)) // [B,S,h,d]
	return b.op(s+"/Reshape", "Reshape", []string{ctx, b.constInt64(false, 0, 0, int64(cfg.Hidden))})
}

// classifierHead returns classifier(tanh(pooler(x[:, 0]))), [B,NumLabels],
// in the graph output "logits".
func (b *graph) classifierHead(x string) string {
	cls := b.op("/bert/pooler/Gather", "Gather", []string{x, b.constInt64(true, 0)}, attrInt("axis", 1)) // [B,H]
	pooled := b.op("/bert/pooler/dense/Gemm", "Gemm",
		[]string{cls, namePooler + ".weight", namePooler + ".bias"}, attrInt("transB", 1))
	pooled = b.op("/bert/pooler/activation/Tanh", "Tanh", []string{pooled})
	return b.opTo(outputLogits, "/classifier/Gemm", "Gemm",
		[]string{pooled, nameClassifier + ".weight", nameClassifier + ".bias"}, attrInt("transB", 1))
}

// linear3 applies torch.nn.Linear to a [B,S,in] tensor: x·Wᵀ + b, with W
// the [out,in] initializer name+".weight". The Transpose of the constant
// weight is folded by ONNX Runtime when the session is created.
func (b *graph) linear3(s, name, x string) string {
	wt := b.op(s+"/Transpose", "Transpose", []string{name + ".weight"}, attrInts("perm", 1, 0))
	y := b.op(s+"/MatMul", "MatMul", []string{x, wt})
	return b.op(s+"/Add", "Add", []string{name + ".bias", y})
}

// gelu is the exact GELU, 0.5·x·(1 + erf(x/√2)), as torch exports it.
func (b *graph) gelu(s, x string) string {
	t := b.op(s+"/Div", "Div", []string{x, b.constFloat(float32(math.Sqrt2))})
	t = b.op(s+"/Erf", "Erf", []string{t})
	t = b.op(s+"/Add", "Add", []string{t, b.constFloat(1)})
	t = b.op(s+"/Mul", "Mul", []string{x, t})
	return b.op(s+"/Mul_1", "Mul", []string{t, b.constFloat(0.5)})
}

// layerNorm normalises x over its last axis: (x − mean)/√(var + eps)·γ + β.
// From opset 17 it is one LayerNormalization node; before, the ReduceMean,
// Sub, Pow, Sqrt, Div form torch exports for opset 14.
func (b *graph) layerNorm(s, name, x string, eps float64) string {
	gamma, beta := name+".weight", name+".bias"
	if b.opset >= 17 {
		return b.op(s+"/LayerNormalization", "LayerNormalization", []string{x, gamma, beta},
			attrInt("axis", -1), attrFloat("epsilon", float32(eps)))
	}
	mean := b.op(s+"/ReduceMean", "ReduceMean", []string{x}, attrInts("axes", -1))
	c := b.op(s+"/Sub", "Sub", []string{x, mean})
	v := b.op(s+"/Pow", "Pow", []string{c, b.constFloat(2)})
	v = b.op(s+"/ReduceMean_1", "ReduceMean", []string{v}, attrInts("axes", -1))
	v = b.op(s+"/Add", "Add", []string{v, b.constFloat(float32(eps))})
	v = b.op(s+"/Sqrt", "Sqrt", []string{v})
	y := b.op(s+"/Div", "Div", []string{c, v})
	y = b.op(s+"/Mul", "Mul", []string{y, gamma})
	return b.op(s+"/Add_1", "Add", []string{y, beta})
}
