package losses

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// PairwiseCE builds the no-teacher baseline: the softmax cross-entropy of the
// positive passage against one negative, from relevance judgements alone.
// This is RankNet's pairwise logistic loss (Burges et al. 2005, "Learning to
// Rank using Gradient Descent") and the loss ColBERT v1 trains with (Khattab
// & Zaharia 2020, "ColBERT: Efficient and Effective Passage Search via
// Contextualized Late Interaction over BERT"):
//
//	L = 1/B Σ_i −log( e^{s⁺_i} / (e^{s⁺_i} + e^{s⁻_i}) )
//	  = 1/B Σ_i softplus(s⁻_i − s⁺_i),   softplus(x) = log(1 + eˣ)
//
// softplus is evaluated without overflow (it returns x for large x and 0 for
// very negative x); its derivative is sigmoid(x), so ∂L/∂s⁺_i =
// −σ(s⁻_i − s⁺_i)/B and ∂L/∂s⁻_i = +σ(s⁻_i − s⁺_i)/B.
//
// Inputs: sPos and sNeg are vectors (B) of the same Float32 or Float64 dtype.
//
// Neighbours: MarginMSE replaces the hard label "positive beats negative" by
// the teacher's margin; KLDivergence with a one-hot teacher over n = 2 is
// this loss.
func PairwiseCE(sPos, sNeg *G.Node) (*G.Node, error) {
	const loss = "PairwiseCE"
	if err := checkPair(loss, sPos, sNeg); err != nil {
		return nil, err
	}
	d, err := G.Sub(sNeg, sPos) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	sp, err := G.Softplus(d) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	return G.Mean(sp) // ()
}

// PairwiseCEValue computes PairwiseCE in float64 from plain slices.
func PairwiseCEValue[F Float](sPos, sNeg []F) (float64, error) {
	if err := checkLen("PairwiseCE", "sNeg", len(sNeg), len(sPos)); err != nil {
		return 0, err
	}
	var sum float64
	for i := range sPos {
		sum += softplus(float64(sNeg[i]) - float64(sPos[i]))
	}
	return sum / float64(len(sPos)), nil
}

// softplus returns log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}) without overflow.
func softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}
