package bertonnx

import (
	"errors"
	"fmt"
	"math"
)

// ErrInput is returned (wrapped) by Forward for malformed token inputs.
var ErrInput = errors.New("bertonnx: invalid input")

// Forward computes the logits of BertForSequenceClassification with weights
// w in float64, one sequence at a time, straight from the BERT equations. It
// is the reference the written ONNX models are checked against and shares
// no computation with the graph builder (only the tensor names).
//
// inputIDs[b], tokenTypeIDs[b] and attentionMask[b] describe sequence b and
// must have the same length (rows may differ in length from each other).
// tokenTypeIDs may be nil, meaning type 0 everywhere. Mask values are 1
// (attend) or 0 (padding); every row needs at least one 1. The result is
// logits[b][label], len NumLabels.
//
// With LN(x) = (x − μ)/√(σ² + ε)·γ + β:
//
//	x⁰_t = LN(word[id_t] + position[p_t] + type[tt_t])   p_t = t (RoBERTa: see Config.RoBERTaPositions)
//	a_t  = LN(x_t + Wo·concat_h(Σ_u softmax_u(q_t·k_u/√d)·v_u) + bo)   u over attended keys
//	x'_t = LN(a_t + W2·gelu(W1·a_t + b1) + b2),   gelu(z) = z·(1 + erf(z/√2))/2
//	logits = Wc·tanh(Wp·x_0 + bp) + bc          (x_0 = the [CLS] position)
func Forward(cfg Config, w Weights, inputIDs, tokenTypeIDs, attentionMask [][]int32) ([][]float64, error) {
	if err := w.Validate(cfg); err != nil {
		return nil, err
	}
	if len(attentionMask) != len(inputIDs) || (tokenTypeIDs != nil && len(tokenTypeIDs) != len(inputIDs)) {
		return nil, fmt.Errorf("%w: batch sizes differ: %d input_ids, %d attention_mask, %d token_type_ids rows",
			ErrInput, len(inputIDs), len(attentionMask), len(tokenTypeIDs))
	}
	logits := make([][]float64, len(inputIDs))
	for b := range inputIDs {
		var types []int32
		if tokenTypeIDs != nil {
			types = tokenTypeIDs[b]
		}
		if err := checkSequence(cfg, inputIDs[b], types, attentionMask[b]); err != nil {
			return nil, fmt.Errorf("row %d: %w", b, err)
		}
		logits[b] = forwardSequence(cfg, w, inputIDs[b], types, attentionMask[b])
	}
	return logits, nil
}

// checkSequence validates one row of Forward's inputs.
func checkSequence(cfg Config, ids, types, mask []int32) error {
	n := len(ids)
	if limit := maxSequence(cfg); n == 0 || n > limit {
		return fmt.Errorf("%w: sequence length %d (want 1 to %d)", ErrInput, n, limit)
	}
	if len(mask) != n || (types != nil && len(types) != n) {
		return fmt.Errorf("%w: lengths differ: %d input_ids, %d attention_mask, %d token_type_ids",
			ErrInput, n, len(mask), len(types))
	}
	attended := 0
	for t := range n {
		if ids[t] < 0 || ids[t] >= int32(cfg.VocabSize) {
			return fmt.Errorf("%w: input_ids[%d] = %d outside [0, %d)", ErrInput, t, ids[t], cfg.VocabSize)
		}
		if types != nil && types[t] != 0 && (types[t] < 0 || types[t] >= int32(cfg.TypeVocabSize)) {
			return fmt.Errorf("%w: token_type_ids[%d] = %d outside [0, %d)", ErrInput, t, types[t], cfg.TypeVocabSize)
		}
		switch mask[t] {
		case 1:
			attended++
		case 0:
		default:
			return fmt.Errorf("%w: attention_mask[%d] = %d (want 0 or 1)", ErrInput, t, mask[t])
		}
	}
	if attended == 0 {
		return fmt.Errorf("%w: attention_mask has no 1", ErrInput)
	}
	return nil
}

// maxSequence is the longest sequence cfg's position table covers.
func maxSequence(cfg Config) int {
	if cfg.RoBERTaPositions {
		return cfg.MaxPosition - cfg.PadTokenID - 1
	}
	return cfg.MaxPosition
}

// positions returns the position id of each token: t, or with
// RoBERTaPositions pad + the number of non-padding tokens up to and
// including t (pad itself for a padding token).
func positions(cfg Config, ids []int32) []int {
	pos := make([]int, len(ids))
	seen := 0
	for t, id := range ids {
		switch {
		case !cfg.RoBERTaPositions:
			pos[t] = t
		case id == int32(cfg.PadTokenID):
			pos[t] = cfg.PadTokenID
		default:
			seen++
			pos[t] = cfg.PadTokenID + seen
		}
	}
	return pos
}

// forwardSequence runs the model on one checked sequence.
func forwardSequence(cfg Config, w Weights, ids, types, mask []int32) []float64 {
	n, hid := len(ids), cfg.Hidden
	x := make([][]float64, n)
	posIDs := positions(cfg, ids)
	for t := range n {
		e := make([]float64, hid)
		word, pos := w[nameWordEmb].Data, w[namePosEmb].Data
		for j := range hid {
			e[j] = float64(word[int(ids[t])*hid+j]) + float64(pos[posIDs[t]*hid+j])
		}
		if cfg.TypeVocabSize > 0 {
			tt := 0
			if types != nil {
				tt = int(types[t])
			}
			typ := w[nameTypeEmb].Data
			for j := range hid {
				e[j] += float64(typ[tt*hid+j])
			}
		}
		x[t] = refLayerNorm(e, w, nameEmbLN, cfg.LayerNormEps)
	}
	for i := range cfg.Layers {
		x = refLayer(cfg, w, layerPrefix(i), x, mask)
	}
	pooled := refLinear(x[0], w, namePooler)
	for j := range pooled {
		pooled[j] = math.Tanh(pooled[j])
	}
	return refLinear(pooled, w, nameClassifier)
}

// refLayer is one transformer block over all positions of x.
func refLayer(cfg Config, w Weights, p string, x [][]float64, mask []int32) [][]float64 {
	n, heads, d := len(x), cfg.Heads, cfg.HeadDim()
	q, k, v := make([][]float64, n), make([][]float64, n), make([][]float64, n)
	for t := range n {
		q[t] = refLinear(x[t], w, p+nameQuery)
		k[t] = refLinear(x[t], w, p+nameKey)
		v[t] = refLinear(x[t], w, p+nameValue)
	}
	out := make([][]float64, n)
	scale := 1 / math.Sqrt(float64(d))
	for t := range n {
		ctx := make([]float64, cfg.Hidden)
		for h := range heads {
			lo, hi := h*d, (h+1)*d
			// Softmax over attended keys only, shifted by the max for stability.
			scores := make([]float64, n)
			maxScore := math.Inf(-1)
			for u := range n {
				if mask[u] == 0 {
					continue
				}
				s := 0.0
				for j := lo; j < hi; j++ {
					s += q[t][j] * k[u][j]
				}
				scores[u] = s * scale
				maxScore = math.Max(maxScore, scores[u])
			}
			sum := 0.0
			for u := range n {
				if mask[u] == 0 {
					scores[u] = 0
					continue
				}
				scores[u] = math.Exp(scores[u] - maxScore)
				sum += scores[u]
			}
			for u := range n {
				a := scores[u] / sum
				for j := lo; j < hi; j++ {
					ctx[j] += a * v[u][j]
				}
			}
		}
		a := refLinear(ctx, w, p+nameAttnOut)
		for j := range a {
			a[j] += x[t][j]
		}
		a = refLayerNorm(a, w, p+nameAttnLN, cfg.LayerNormEps)

		f := refLinear(a, w, p+nameInterm)
		for j, z := range f {
			f[j] = 0.5 * z * (1 + math.Erf(z/math.Sqrt2))
		}
		f = refLinear(f, w, p+nameOutput)
		for j := range f {
			f[j] += a[j]
		}
		out[t] = refLayerNorm(f, w, p+nameOutputLN, cfg.LayerNormEps)
	}
	return out
}

// refLinear is torch.nn.Linear: y_o = b_o + Σ_i W[o,i]·x_i with W = name.weight [out,in].
func refLinear(x []float64, w Weights, name string) []float64 {
	wt, bias := w[name+".weight"], w[name+".bias"]
	out, in := wt.Shape[0], wt.Shape[1]
	y := make([]float64, out)
	for o := range out {
		s := float64(bias.Data[o])
		row := wt.Data[o*in : (o+1)*in]
		for i, xi := range x {
			s += float64(row[i]) * xi
		}
		y[o] = s
	}
	return y
}

// refLayerNorm is (x − mean)/√(var + eps)·γ + β with the biased variance.
func refLayerNorm(x []float64, w Weights, name string, eps float64) []float64 {
	gamma, beta := w[name+".weight"].Data, w[name+".bias"].Data
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	variance := 0.0
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	variance /= float64(len(x))
	inv := 1 / math.Sqrt(variance+eps)
	y := make([]float64, len(x))
	for j, v := range x {
		y[j] = (v-mean)*inv*float64(gamma[j]) + float64(beta[j])
	}
	return y
}
