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
			q.BestMarginMSE = optional(metrics.BestMarginMSE(s, t))
		}
		taus = appendDefined(taus, q.KendallTau)
		rhos = appendDefined(rhos, q.SpearmanRho)
		mses = appendDefined(mses, q.BestMarginMSE)
		a.PerQuery = append(a.PerQuery, q)
	}
	a.Queries = len(a.PerQuery)
	a.KendallTau, a.SpearmanRho, a.BestMarginMSE = meanOf(taus), meanOf(rhos), meanOf(mses)
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

// appendDefined appends *p to xs when p is not nil.
func appendDefined(xs []float64, p *float64) []float64 {
	if p == nil {
		return xs
	}
	return append(xs, *p)
}
