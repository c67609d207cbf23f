package losses

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// PointwiseBCE is the pointwise objective for fine-tuning a cross-encoder on
// relevance judgements (monoBERT, Nogueira & Cho 2019, "Passage Re-ranking
// with BERT"; sentence-transformers' CrossEncoder with BCEWithLogitsLoss):
// each scored pair is classified on its own, positives as relevant (label 1)
// and negatives as not (label 0), by binary cross-entropy on the logit:
//
//	L = 1/(2B) Σ_i [ −log σ(s⁺_i) − log(1 − σ(s⁻_i)) ]
//	  = 1/(2B) Σ_i [ softplus(−s⁺_i) + softplus(s⁻_i) ]
//
// so ∂L/∂s⁺_i = −σ(−s⁺_i)/(2B) and ∂L/∂s⁻_i = σ(s⁻_i)/(2B).
//
// Inputs: sPos and sNeg are vectors (B) of the same Float32 or Float64 dtype.
//
// Neighbours: PairwiseCE only asks the positive to beat the negative (scores
// are free up to a shift); PointwiseBCE also calibrates them around 0, which
// a reranker used for thresholds may want. Both ignore any teacher.
func PointwiseBCE(sPos, sNeg *G.Node) (*G.Node, error) {
	const loss = "PointwiseBCE"
	if err := checkPair(loss, sPos, sNeg); err != nil {
		return nil, err
	}
	negPos, err := G.Neg(sPos)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	a, err := G.Softplus(negPos) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	b, err := G.Softplus(sNeg) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	sum, err := G.Add(a, b)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	m, err := G.Mean(sum) // mean over B of (a+b): twice the loss
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	return G.Mul(m, scalarLike(0.5, sPos))
}

// PointwiseBCEValue computes PointwiseBCE in float64 from plain slices.
func PointwiseBCEValue[F Float](sPos, sNeg []F) (float64, error) {
	if err := checkLen("PointwiseBCE", "sNeg", len(sNeg), len(sPos)); err != nil {
		return 0, err
	}
	var sum float64
	for i := range sPos {
		sum += softplus(-float64(sPos[i])) + softplus(float64(sNeg[i]))
	}
	return sum / float64(2*len(sPos)), nil
}
