package losses

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// logSoftmaxRows builds the row-wise log-softmax of x (B, n), stabilised by
// subtracting each row's maximum before exponentiating:
//
//	log softmax(x)_ij = z_ij − log Σ_k exp(z_ik),  z_ij = x_ij − max_k x_ik
//
// The gradient through the max cancels exactly (∂/∂m of z − lse(z) is 0), so
// ties in the max do not bias it.
func logSoftmaxRows(x *G.Node) (*G.Node, error) {
	m, err := G.Max(x, 1) // (B)
	if err != nil {
		return nil, fmt.Errorf("row max: %w", err)
	}
	z, err := G.BroadcastSub(x, m, nil, []byte{1}) // (B, n)
	if err != nil {
		return nil, fmt.Errorf("shift by row max: %w", err)
	}
	e, err := G.Exp(z) // (B, n), entries in (0, 1]
	if err != nil {
		return nil, err
	}
	s, err := G.Sum(e, 1) // (B), each ≥ 1
	if err != nil {
		return nil, err
	}
	lse, err := G.Log(s) // (B)
	if err != nil {
		return nil, err
	}
	return G.BroadcastSub(z, lse, nil, []byte{1}) // (B, n)
}

// logSoftmaxValue returns log softmax(x/tau) of one row in float64.
func logSoftmaxValue[F Float](x []F, tau float64) []float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, float64(v)/tau)
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v)/tau - m)
	}
	lse := m + math.Log(s)
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)/tau - lse
	}
	return out
}
