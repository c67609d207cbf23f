package training

import (
	"fmt"
	"math"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/losses"
	"github.com/distill-ml/distill/metrics"
	"github.com/distill-ml/distill/student"
)

var nan = math.NaN()

// ValResult is a model measured on held-out queries.
type ValResult struct {
	// Loss is the training loss (package losses) on the held-out triples:
	// Margin-MSE for marginmse and kldiv (whose n-way groups the triples
	// do not hold), else pairwise-ce or pointwise-bce. The agreement
	// measures of package metrics compare whole candidate lists instead.
	Loss float64 `json:"val_loss"`
	// MRR10 is the MRR@10 of the student's reranking of the held-out
	// queries' candidates (NaN without judgements).
	MRR10 float64 `json:"val_mrr10"`
	// KendallTau is the mean over queries of Kendall's τ_b between the
	// student's and the teacher's scores of the query's candidates.
	KendallTau float64 `json:"val_kendall_tau"`
	Queries    int     `json:"val_queries"`
}

// Validate scores each row's candidates with the student (inference, no
// graph) and compares the scores with the teacher's. queries and docs hold
// the token ids of the rows' texts (ranker.Encoder.Query / Doc); triples
// are the held-out triples the loss is measured on; qrels may be nil.
func Validate(m student.Model, rows []labels.Row, triples []labels.Triple, queries, docs map[string][]int32, qrels datasets.Qrels) (ValResult, error) {
	return validate(m, rows, triples, queries, docs, qrels, "marginmse", nil)
}

// validate is Validate with the validation loss computed as the training
// loss is (Margin-MSE for marginmse and kldiv, whose n-way groups the
// validation triples do not hold; pairwise-ce; pointwise-bce), so that the
// two are on one scale, calling done (when set) after each query.
func validate(m student.Model, rows []labels.Row, triples []labels.Triple, queries, docs map[string][]int32, qrels datasets.Qrels, loss string, done func()) (ValResult, error) {
	res := ValResult{Loss: nan, MRR10: nan, KendallTau: nan, Queries: len(rows)}
	if len(rows) == 0 {
		return res, nil
	}
	scores := map[[2]string]float32{}
	run := datasets.Run{}
	var tauSum float64
	var tauN int
	for _, r := range rows {
		seqs := make([][]int32, len(r.DocumentIDs))
		for i, id := range r.DocumentIDs {
			seqs[i] = docs[id]
		}
		s, err := m.Score(queries[r.QueryID], seqs...)
		if err != nil {
			return res, fmt.Errorf("training: validate query %s: %w", r.QueryID, err)
		}
		st, te := make([]float64, len(s)), make([]float64, len(s))
		for i, id := range r.DocumentIDs {
			scores[[2]string{r.QueryID, id}] = s[i]
			st[i], te[i] = float64(s[i]), float64(r.Scores[i])
			run[r.QueryID] = append(run[r.QueryID], datasets.RunEntry{QueryID: r.QueryID, DocID: id, Score: st[i]})
		}
		if tau := metrics.KendallTau(st, te); !math.IsNaN(tau) {
			tauSum += tau
			tauN++
		}
		if done != nil {
			done()
		}
	}
	if tauN > 0 {
		res.KendallTau = tauSum / float64(tauN)
	}
	if len(triples) > 0 {
		sPos, sNeg, margin := make([]float64, len(triples)), make([]float64, len(triples)), make([]float64, len(triples))
		for i, t := range triples {
			sPos[i] = float64(scores[[2]string{t.QueryID, t.PositiveID}])
			sNeg[i] = float64(scores[[2]string{t.QueryID, t.NegativeID}])
			margin[i] = float64(t.Margin)
		}
		var l float64
		var err error
		switch loss {
		case "pairwise-ce":
			l, err = losses.PairwiseCEValue(sPos, sNeg)
		case "pointwise-bce":
			l, err = losses.PointwiseBCEValue(sPos, sNeg)
		default:
			l, err = losses.MarginMSEFromMarginValue(sPos, sNeg, margin)
		}
		if err != nil {
			return res, err
		}
		res.Loss = l
	}
	if qrels != nil {
		ev, err := metrics.Evaluate(run, qrels, []metrics.Measure{metrics.MRR10}, metrics.Options{})
		if err != nil {
			return res, fmt.Errorf("training: validate: %w", err)
		}
		if v, ok := ev.Summary(metrics.MRR10); ok {
			res.MRR10 = v
		}
	}
	return res, nil
}
