package metrics

// Options are the trec_eval command-line settings that Evaluate honours.
// The zero value is trec_eval's default.
type Options struct {
	// RelevanceLevel is the smallest judgement counted as relevant by the
	// binary measures (trec_eval -l). Zero selects the default, 1; negative
	// values are an error. Graded measures (ndcg, ndcg_cut) ignore it.
	RelevanceLevel int

	// CompleteQueries evaluates judged queries that are absent from the run
	// as empty rankings and averages over all judged queries (trec_eval -c).
	CompleteQueries bool

	// MaxRetrieved keeps only the top MaxRetrieved documents of each ranking
	// (trec_eval -M). Zero means no limit; negative values are an error.
	MaxRetrieved int
}

// normalized fills in defaults and checks ranges.
func (o Options) normalized() (Options, error) {
	if o.RelevanceLevel < 0 {
		return o, &OptionError{Field: "RelevanceLevel", Value: o.RelevanceLevel, Want: ">= 0"}
	}
	if o.MaxRetrieved < 0 {
		return o, &OptionError{Field: "MaxRetrieved", Value: o.MaxRetrieved, Want: ">= 0"}
	}
	if o.RelevanceLevel == 0 {
		o.RelevanceLevel = 1
	}
	return o, nil
}
