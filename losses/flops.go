package losses

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// FLOPS builds the FLOPS regulariser of Paria et al. 2020, "Minimizing FLOPs
// to Learn Efficient Sparse Representations" (arXiv:2004.05665), as used by
// SPLADE (Formal et al. 2021, "SPLADE: Sparse Lexical and Expansion Model for
// First Stage Ranking", and SPLADE v2) on the batch of vocabulary-sized
// representations w:
//
//	L = Σ_j ( 1/B Σ_i |w_ij| )²
//
// The square of the mean activation of term j estimates the probability that
// j is active in both a query and a document, so L is a smooth proxy for the
// number of floating-point operations of an inverted-index dot product.
// Unlike an L1 penalty it pushes hardest on terms that are active across the
// whole batch, spreading the mass over rarer terms.
//
// Inputs: w is a matrix (B, V), one row per query or per document (SPLADE
// regularises queries and documents separately, with λ_q and λ_d from a
// FLOPSSchedule). SPLADE's w = log(1 + ReLU(·)) is ≥ 0, where |w| = w; the
// gradient is sign(w_ij)·2·mean_j/B, and 0 where w_ij = 0.
//
// Neighbours: added to MarginMSE or KLDivergence for SPLADE students,
// weighted by FLOPSSchedule.Lambda.
func FLOPS(w *G.Node) (*G.Node, error) {
	const loss = "FLOPS"
	if err := checkFloat(loss, "w", w); err != nil {
		return nil, err
	}
	shape := w.Shape()
	if shape.Dims() != 2 {
		return nil, &ShapeError{Loss: loss, Input: "w", Got: []int(shape.Clone()), Want: "a matrix [B V]"}
	}
	if shape[0] == 0 || shape[1] == 0 {
		return nil, ErrEmptyBatch
	}
	abs, err := G.Abs(w) // (B, V)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	colSum, err := G.Sum(abs, 0) // (V)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	mean, err := G.HadamardDiv(colSum, scalarLike(float64(shape[0]), w)) // (V)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	sq, err := G.Square(mean) // (V)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	return G.Sum(sq) // ()
}

// FLOPSValue computes FLOPS in float64; w holds B rows of V activations.
func FLOPSValue[F Float](w [][]F) (float64, error) {
	if len(w) == 0 || len(w[0]) == 0 {
		return 0, ErrEmptyBatch
	}
	v := len(w[0])
	mean := make([]float64, v)
	for i, row := range w {
		if len(row) != v {
			return 0, &ShapeError{Loss: "FLOPS", Input: fmt.Sprintf("w row %d", i), Got: []int{len(row)}, Want: fmt.Sprintf("(%d)", v)}
		}
		for j, x := range row {
			mean[j] += math.Abs(float64(x))
		}
	}
	var sum float64
	for _, m := range mean {
		m /= float64(len(w))
		sum += m * m
	}
	return sum, nil
}
