package metrics

import "slices"

// Result holds the values of an evaluation. Do not modify it while
// WriteTREC or WriteJSON is running.
type Result struct {
	// Measures are the canonical measure names, in trec_eval's printing order.
	Measures []Measure
	// QueryIDs are the evaluated queries in byte order.
	QueryIDs []string
	// PerQuery maps query id → measure → value.
	PerQuery map[string]map[Measure]float64
	// Mean is the arithmetic mean over QueryIDs of every measure, counts
	// included (see Summary for trec_eval's "all" value).
	Mean map[Measure]float64
	// Options are the options used, with defaults filled in.
	Options Options
}

// Summary returns the value trec_eval prints on the "all" line for m: the
// sum over queries for num_ret, num_rel and num_rel_ret, the mean otherwise.
// m is canonicalised with ParseMeasure; ok is false when m was not evaluated.
func (r *Result) Summary(m Measure) (value float64, ok bool) {
	s, err := parseSpec(string(m))
	if err != nil {
		return 0, false
	}
	mean, ok := r.Mean[s.name()]
	if !ok {
		return 0, false
	}
	if s.fam.isCount() {
		var sum float64
		for _, qid := range r.QueryIDs {
			sum += r.PerQuery[qid][s.name()]
		}
		return sum, true
	}
	return mean, true
}

// Values returns m for each query, in QueryIDs order, or nil when m was not
// evaluated. m is canonicalised with ParseMeasure.
func (r *Result) Values(m Measure) []float64 {
	s, err := parseSpec(string(m))
	if err != nil {
		return nil
	}
	name := s.name()
	if _, ok := r.Mean[name]; !ok {
		return nil
	}
	out := make([]float64, len(r.QueryIDs))
	for i, qid := range r.QueryIDs {
		out[i] = r.PerQuery[qid][name]
	}
	return out
}

// PairedValues aligns measure m of two results on the queries both
// evaluated, for PairedTTest and PairedRandomization. The query ids are in
// byte order; a[i] and b[i] belong to qids[i]. To compare systems over every
// judged query, evaluate both with Options.CompleteQueries.
//
// Errors: *MeasureError, or ErrMeasureNotEvaluated when either result lacks m.
func PairedValues(ra, rb *Result, m Measure) (qids []string, a, b []float64, err error) {
	s, err := parseSpec(string(m))
	if err != nil {
		return nil, nil, nil, err
	}
	name := s.name()
	_, okA := ra.Mean[name]
	_, okB := rb.Mean[name]
	if !okA || !okB {
		return nil, nil, nil, &MeasureError{Name: string(m), Err: ErrMeasureNotEvaluated}
	}
	for _, qid := range ra.QueryIDs {
		vb, ok := rb.PerQuery[qid]
		if !ok {
			continue
		}
		qids = append(qids, qid)
		a = append(a, ra.PerQuery[qid][name])
		b = append(b, vb[name])
	}
	return slices.Clip(qids), a, b, nil
}
