package report

import (
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/metrics"
)

// agreement compares a system's scores with the teacher's on every held-out
// row whose query the system scored. See the package documentation.
func agreement(scores map[string]map[string]float32, teacher []labels.Row) *Agreement {
	a := &Agreement{PerQuery: []QueryAgreement{}}
	var taus, rhos, mses []float64
	for _, row := range teacher {
		sys, ok := scores[row.QueryID]
		if !ok {
			continue
		}
		s, t, missing := alignCandidates(sys, row)
		a.MissingCandidates += missing
		q := QueryAgreement{QueryID: row.QueryID, Candidates: len(s)}
		if len(s) >= 2 {
			q.KendallTau = optional(metrics.KendallTau(s, t))
			q.SpearmanRho = optional(metrics.SpearmanRho(s, t))
			q.MarginMSE = optional(MarginMSE(s, t))
		}
		taus = appendDefined(taus, q.KendallTau)
		rhos = appendDefined(rhos, q.SpearmanRho)
		mses = appendDefined(mses, q.MarginMSE)
		a.PerQuery = append(a.PerQuery, q)
	}
	a.Queries = len(a.PerQuery)
	a.KendallTau, a.SpearmanRho, a.MarginMSE = meanOf(taus), meanOf(rhos), meanOf(mses)
	return a
}

// alignCandidates returns the system's and the teacher's scores of the
// row's candidates that the system scored, in row order, and how many it
// did not score.
func alignCandidates(sys map[string]float32, row labels.Row) (s, t []float64, missing int) {
	n := min(len(row.DocumentIDs), len(row.Scores))
	s, t = make([]float64, 0, n), make([]float64, 0, n)
	for i := range n {
		v, ok := sys[row.DocumentIDs[i]]
		if !ok {
			missing++
			continue
		}
		s = append(s, float64(v))
		t = append(t, float64(row.Scores[i]))
	}
	return s, t, missing
}

// MarginMSE returns the mean squared difference between the student's and
// the teacher's score margins over the pairs (p, j), where p is the
// candidate the teacher scores highest (the first on ties) and j every other
// candidate:
//
//	MarginMSE = (1/(n−1)) Σ_{j≠p} ((s_p − s_j) − (t_p − t_j))²
//
// This is the Margin-MSE loss of Hofstätter et al. (2020) on raw scores, so
// it depends on the scale of both models (doubling s changes it).
//
// Special cases: NaN when n < 2. It panics when len(s) != len(t).
func MarginMSE(s, t []float64) float64 {
	if len(s) != len(t) {
		panic("report: MarginMSE: slice length mismatch")
	}
	if len(t) < 2 {
		return nan()
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

// appendDefined appends *p to xs when p is not nil.
func appendDefined(xs []float64, p *float64) []float64 {
	if p == nil {
		return xs
	}
	return append(xs, *p)
}
