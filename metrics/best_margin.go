package metrics

import "math"

// BestMarginMSE returns how far a system's score margins are from a
// teacher's over one query's candidates (s[i] and t[i] score candidate i):
// the mean squared difference over the pairs (p, j), where p is the
// candidate the teacher scores highest (the first on ties) and j every
// other candidate,
//
//	BestMarginMSE = (1/(n−1)) Σ_{j≠p} ((s_p − s_j) − (t_p − t_j))²
//
// It is an agreement measure, not a training loss: the Margin-MSE loss of
// Hofstätter et al. (2020) (package losses) averages over sampled
// (query, positive, negative) triples, this over every candidate against
// the teacher's best. Like the loss it is taken on raw scores, so it
// depends on the scale of both models (doubling s changes it) and is
// comparable only between systems distilled from the same teacher; read
// KendallTau and SpearmanRho for scale-free agreement.
//
// Special cases: NaN when n < 2. It panics when len(s) != len(t).
func BestMarginMSE(s, t []float64) float64 {
	checkPaired("BestMarginMSE", s, t)
	if len(t) < 2 {
		return math.NaN()
	}
	p := 0
	for j, v := range t {
		if v > t[p] {
			p = j
		}
	}
	var sum float64
	for j := range t {
		if j == p {
			continue
		}
		d := (s[p] - s[j]) - (t[p] - t[j])
		sum += d * d
	}
	return sum / float64(len(t)-1)
}
