package losses

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// MarginMSE builds the Margin-MSE distillation loss of Hofstätter et al. 2020,
// "Improving Efficient Neural Ranking Models with Cross-Architecture Knowledge
// Distillation" (arXiv:2010.02666):
//
//	L = 1/B Σ_i ((s⁺_i − s⁻_i) − (t⁺_i − t⁻_i))²
//
// where s⁺, s⁻ are the student's scores of a query's positive and negative
// passage and t⁺, t⁻ the teacher's. Only the margins are matched, so the
// student is free to use another score scale than the cross-encoder (a ColBERT
// MaxSim sum, a SPLADE dot product). It is distill's default training loss.
//
// Inputs: sPos and sNeg are vectors (B) of the same Float32 or Float64 dtype;
// tPos and tNeg are vectors (B) given as nodes of that dtype or as slices.
// Use MarginMSEFromMargin when the labels already hold t⁺ − t⁻.
//
// Neighbours: PairwiseCE is the same pair setting without a teacher;
// KLDivergence matches the whole softmax distribution over n candidates
// instead of one margin.
func MarginMSE[T Teacher](sPos, sNeg *G.Node, tPos, tNeg T) (*G.Node, error) {
	const loss = "MarginMSE"
	if err := checkPair(loss, sPos, sNeg); err != nil {
		return nil, err
	}
	tp, err := teacherNode(loss, "tPos", tPos, sPos)
	if err != nil {
		return nil, err
	}
	tn, err := teacherNode(loss, "tNeg", tNeg, sPos)
	if err != nil {
		return nil, err
	}
	tMargin, err := G.Sub(tp, tn) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: teacher margin: %w", loss, err)
	}
	return marginMSE(sPos, sNeg, tMargin)
}

// MarginMSEFromMargin is MarginMSE with the teacher margin t⁺ − t⁻ given
// directly as a vector (B), which is what the label files store:
//
//	L = 1/B Σ_i ((s⁺_i − s⁻_i) − m_i)²
func MarginMSEFromMargin[T Teacher](sPos, sNeg *G.Node, tMargin T) (*G.Node, error) {
	const loss = "MarginMSE"
	if err := checkPair(loss, sPos, sNeg); err != nil {
		return nil, err
	}
	tm, err := teacherNode(loss, "tMargin", tMargin, sPos)
	if err != nil {
		return nil, err
	}
	return marginMSE(sPos, sNeg, tm)
}

func marginMSE(sPos, sNeg, tMargin *G.Node) (*G.Node, error) {
	sMargin, err := G.Sub(sPos, sNeg) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: MarginMSE: student margin: %w", err)
	}
	diff, err := G.Sub(sMargin, tMargin) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: MarginMSE: %w", err)
	}
	sq, err := G.Square(diff) // (B)
	if err != nil {
		return nil, fmt.Errorf("losses: MarginMSE: %w", err)
	}
	return G.Mean(sq) // ()
}

// checkPair verifies that sPos and sNeg are vectors (B) of the same dtype.
func checkPair(loss string, sPos, sNeg *G.Node) error {
	if err := checkVector(loss, "sPos", sPos); err != nil {
		return err
	}
	if err := checkLike(loss, "sNeg", sNeg, sPos); err != nil {
		return err
	}
	if sNeg.Graph() != sPos.Graph() {
		return fmt.Errorf("losses: %s: sPos and sNeg belong to different graphs", loss)
	}
	return nil
}

// MarginMSEValue computes MarginMSE in float64 from plain slices of length B.
func MarginMSEValue[F Float](sPos, sNeg, tPos, tNeg []F) (float64, error) {
	const loss = "MarginMSE"
	for _, c := range []struct {
		name string
		v    []F
	}{{"sNeg", sNeg}, {"tPos", tPos}, {"tNeg", tNeg}} {
		if err := checkLen(loss, c.name, len(c.v), len(sPos)); err != nil {
			return 0, err
		}
	}
	margin := make([]float64, len(tPos))
	for i := range tPos {
		margin[i] = float64(tPos[i]) - float64(tNeg[i])
	}
	return marginMSEValue(sPos, sNeg, margin)
}

// MarginMSEFromMarginValue computes MarginMSEFromMargin in float64.
func MarginMSEFromMarginValue[F Float](sPos, sNeg, tMargin []F) (float64, error) {
	const loss = "MarginMSE"
	if err := checkLen(loss, "sNeg", len(sNeg), len(sPos)); err != nil {
		return 0, err
	}
	if err := checkLen(loss, "tMargin", len(tMargin), len(sPos)); err != nil {
		return 0, err
	}
	return marginMSEValue(sPos, sNeg, widen(tMargin))
}

func marginMSEValue[F Float](sPos, sNeg []F, tMargin []float64) (float64, error) {
	var sum float64
	for i := range sPos {
		d := (float64(sPos[i]) - float64(sNeg[i])) - tMargin[i]
		sum += d * d
	}
	return sum / float64(len(sPos)), nil
}
