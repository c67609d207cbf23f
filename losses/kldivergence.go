package losses

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// KLDivergence builds the listwise distillation loss of ColBERTv2 (Santhanam
// et al. 2022, "ColBERTv2: Effective and Efficient Retrieval via Lightweight
// Late Interaction") as implemented by PyLate's Distillation loss: for each
// query, the KL divergence from the teacher's distribution over its n
// candidate passages to the student's, averaged over the batch:
//
//	p_i = softmax(t_i / τ)                     teacher distribution (no gradient)
//	L   = 1/B Σ_i Σ_j p_ij (log p_ij − log softmax(s_i)_j)
//
// Both log-softmaxes subtract the row maximum first, so scores of any scale
// (ColBERT sums of cosine similarities, cross-encoder logits ~ ±15) neither
// overflow nor produce log 0; a teacher probability that underflows to 0
// contributes exactly 0. τ > 0 softens (τ > 1) or sharpens (τ < 1) the
// teacher only; τ = 1 is PyLate's and ColBERTv2's setting.
//
// Inputs: studentScores is a matrix (B, n), n ≥ 1 candidates per query with
// the same candidates in the same order as teacherScores, which is a node of
// the same shape and dtype or a row-major slice of B·n values.
//
// Neighbours: with n = 2 it matches the whole pair distribution where
// MarginMSE matches only the margin, and is invariant to shifting both
// teacher scores by a constant, like MarginMSE. With a one-hot teacher it
// reduces to the softmax cross-entropy of PairwiseCE (n = 2) / in-batch
// negatives.
func KLDivergence[T Teacher](studentScores *G.Node, teacherScores T, tau float64) (*G.Node, error) {
	const loss = "KLDivergence"
	if err := checkFloat(loss, "studentScores", studentScores); err != nil {
		return nil, err
	}
	shape := studentScores.Shape()
	if shape.Dims() != 2 {
		return nil, &ShapeError{Loss: loss, Input: "studentScores", Got: []int(shape.Clone()), Want: "a matrix [B n]"}
	}
	if shape[0] == 0 || shape[1] == 0 {
		return nil, ErrEmptyBatch
	}
	if !(tau > 0) || math.IsInf(tau, 1) {
		return nil, &ParamError{Loss: loss, Param: "tau", Value: tau, Want: "a finite temperature > 0"}
	}
	logPT, err := teacherLogProbs(loss, teacherScores, tau, studentScores) // (B, n)
	if err != nil {
		return nil, err
	}
	logQ, err := logSoftmaxRows(studentScores) // (B, n)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: student log-softmax: %w", loss, err)
	}
	pT, err := G.Exp(logPT) // (B, n)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	gap, err := G.Sub(logPT, logQ) // (B, n)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	terms, err := G.HadamardProd(pT, gap) // (B, n)
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	total, err := G.Sum(terms) // ()
	if err != nil {
		return nil, fmt.Errorf("losses: %s: %w", loss, err)
	}
	return G.HadamardDiv(total, scalarLike(float64(shape[0]), studentScores)) // ()
}

// teacherLogProbs returns log softmax(t/τ) row-wise as a (B, n) node. A slice
// is converted in float64 and becomes a constant; a node gets graph ops.
func teacherLogProbs[T Teacher](loss string, t T, tau float64, like *G.Node) (*G.Node, error) {
	switch v := any(t).(type) {
	case *G.Node:
		n, err := teacherNode(loss, "teacherScores", v, like)
		if err != nil {
			return nil, err
		}
		if tau != 1 {
			if n, err = G.HadamardDiv(n, scalarLike(tau, like)); err != nil {
				return nil, fmt.Errorf("losses: %s: teacher temperature: %w", loss, err)
			}
		}
		lp, err := logSoftmaxRows(n)
		if err != nil {
			return nil, fmt.Errorf("losses: %s: teacher log-softmax: %w", loss, err)
		}
		return lp, nil
	case []float32:
		return teacherLogProbConst(loss, widen(v), tau, like)
	case []float64:
		return teacherLogProbConst(loss, v, tau, like)
	}
	panic("unreachable: Teacher type set")
}

func teacherLogProbConst(loss string, t []float64, tau float64, like *G.Node) (*G.Node, error) {
	shape := like.Shape()
	b, n := shape[0], shape[1]
	if len(t) != b*n {
		return nil, &ShapeError{Loss: loss, Input: "teacherScores", Got: []int{len(t)},
			Want: fmt.Sprintf("%d values (row-major [%d %d])", b*n, b, n)}
	}
	lp := make([]float64, 0, b*n)
	for i := 0; i < b; i++ {
		lp = append(lp, logSoftmaxValue(t[i*n:(i+1)*n], tau)...)
	}
	return constLike(loss, "teacherLogProbs", lp, like)
}

// KLDivergenceValue computes KLDivergence in float64; student and teacher
// hold B rows of n scores each.
func KLDivergenceValue[F Float](student, teacher [][]F, tau float64) (float64, error) {
	const loss = "KLDivergence"
	if len(student) == 0 {
		return 0, ErrEmptyBatch
	}
	if !(tau > 0) || math.IsInf(tau, 1) {
		return 0, &ParamError{Loss: loss, Param: "tau", Value: tau, Want: "a finite temperature > 0"}
	}
	if err := checkLen(loss, "teacher", len(teacher), len(student)); err != nil {
		return 0, err
	}
	n := len(student[0])
	var sum float64
	for i := range student {
		if len(student[i]) != n || len(teacher[i]) != n || n == 0 {
			return 0, &ShapeError{Loss: loss, Input: fmt.Sprintf("row %d", i),
				Got: []int{len(student[i]), len(teacher[i])}, Want: fmt.Sprintf("%d student and %d teacher scores (n ≥ 1)", n, n)}
		}
		logP := logSoftmaxValue(teacher[i], tau)
		logQ := logSoftmaxValue(student[i], 1)
		for j := range logP {
			sum += math.Exp(logP[j]) * (logP[j] - logQ[j])
		}
	}
	return sum / float64(len(student)), nil
}
