package report

import "github.com/distill-ml/distill/metrics"

// Comparison is the outcome of Compare: one Row per system, in input order,
// the first being the baseline of the significance tests. Optional numbers
// are pointers, nil when absent or undefined, so the JSON has no NaN.
//
// A Comparison is not modified by its Write methods, which may run
// concurrently.
type Comparison struct {
	// Measures are the canonical measure names, in column order.
	Measures []metrics.Measure `json:"measures"`
	// QueryIDs are the evaluated queries, numbers by value (1, 2, 15, 100),
	// then other ids in byte order.
	QueryIDs []string `json:"query_ids"`
	// Baseline is the name of the first system.
	Baseline string `json:"baseline"`
	// Alpha, Iterations, Seed and Marker are the significance settings used.
	Alpha      float64 `json:"alpha"`
	Iterations int     `json:"iterations"`
	Seed       int64   `json:"seed"`
	Marker     string  `json:"marker"`
	// RelevanceLevel is metrics.Options.RelevanceLevel as used (default 1).
	RelevanceLevel int `json:"relevance_level"`
	// HeldOutQueries counts the teacher rows used for agreement.
	HeldOutQueries int `json:"held_out_queries"`
	// Rows hold the systems' results, in input order.
	Rows []Row `json:"systems"`
	// Run says what the comparison ran on; nil when the caller did not say.
	Run *RunProvenance `json:"run,omitempty"`
}

// Row is one system's results.
type Row struct {
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
	// Depth is System.Depth: measures cut off deeper are absent.
	Depth int `json:"depth,omitempty"`
	// Mean maps measure → mean over Comparison.QueryIDs.
	Mean map[metrics.Measure]float64 `json:"mean"`
	// PerQuery maps query id → measure → value.
	PerQuery map[string]map[metrics.Measure]float64 `json:"per_query"`
	// CI95 maps measure → the 95% confidence interval of Mean, by
	// percentile bootstrap over the queries (Efron's; 1,000 resamples, the
	// comparison's seed).
	CI95 map[metrics.Measure][2]float64 `json:"ci95,omitempty"`
	// Significance maps measure → the test against the baseline; nil for
	// the baseline itself.
	Significance map[metrics.Measure]Significance `json:"significance,omitempty"`
	// Agreement with the teacher; nil when the system has no Scores or no
	// held-out labels were given.
	Agreement *Agreement `json:"agreement,omitempty"`
	// Latency summarises System.Latencies; nil when there are none.
	Latency *Latency `json:"latency,omitempty"`

	IndexBytes    int64    `json:"index_bytes,omitempty"`
	AvgNonZeros   *float64 `json:"avg_non_zeros,omitempty"`
	FLOPS         *float64 `json:"flops,omitempty"`
	Steps         int      `json:"steps,omitempty"`
	LabelsUsed    string   `json:"labels_used,omitempty"`
	CheckpointDir string   `json:"checkpoint_dir,omitempty"`
	ModelSHA256   string   `json:"model_sha256,omitempty"`
	// Training holds the series of System.MetricsLog; nil without a log.
	Training *TrainingLog `json:"training,omitempty"`
}

// Significance is the paired randomisation test of a system against the
// baseline on one measure.
type Significance struct {
	// Delta is the system's mean minus the baseline's.
	Delta float64 `json:"delta"`
	// PValue is the two-sided p-value (1 for identical values).
	PValue float64 `json:"p_value"`
	// Significant is PValue < Comparison.Alpha.
	Significant bool `json:"significant"`
	// Queries is the number of paired values.
	Queries int `json:"queries"`
}

// Agreement measures how closely a system's scores follow the teacher's on
// held-out labelled candidates (see the package documentation).
type Agreement struct {
	// Queries counts the held-out queries the system scored.
	Queries int `json:"queries"`
	// KendallTau, SpearmanRho and BestMarginMSE (metrics') are means over
	// the queries where each is defined; nil when it is defined on none.
	// BestMarginMSE is also written as "margin_mse", its key before it had
	// a name of its own, and read from it (see agreement_json.go).
	KendallTau    *float64 `json:"kendall_tau,omitempty"`
	SpearmanRho   *float64 `json:"spearman_rho,omitempty"`
	BestMarginMSE *float64 `json:"best_margin_mse,omitempty"`
	// MissingCandidates counts teacher candidates the system did not score
	// (left out of the vectors).
	MissingCandidates int `json:"missing_candidates"`
	// PerQuery lists the held-out queries in teacher-row order.
	PerQuery []QueryAgreement `json:"per_query"`
}

// QueryAgreement is the agreement on one held-out query.
type QueryAgreement struct {
	QueryID       string   `json:"query_id"`
	Candidates    int      `json:"candidates"`
	KendallTau    *float64 `json:"kendall_tau,omitempty"`
	SpearmanRho   *float64 `json:"spearman_rho,omitempty"`
	BestMarginMSE *float64 `json:"best_margin_mse,omitempty"`
}

// Latency summarises per-query latencies, in milliseconds.
type Latency struct {
	Count    int     `json:"count"`
	MeanMS   float64 `json:"mean_ms"`
	MedianMS float64 `json:"median_ms"`
	P95MS    float64 `json:"p95_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
}
