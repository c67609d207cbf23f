package report

import (
	"slices"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/metrics"
)

// Compare measures systems on the same queries and tests each against the
// first (see the package documentation for the query set, the agreement
// measures and the significance test). teacher holds the held-out teacher
// labels for agreement; it may be empty.
//
// Errors: ErrNoSystems, ErrEmptyName, ErrDuplicateName (wrapped in a
// *SystemError), *OptionError, *metrics.MeasureError, metrics errors from
// Evaluate (ErrNoQueries when no judged query was retrieved) and training
// log errors, each wrapped in a *SystemError naming the system.
func Compare(systems []System, qrels datasets.Qrels, teacher []labels.Row, opts Options) (*Comparison, error) {
	if err := checkNames(systems); err != nil {
		return nil, err
	}
	opts, err := opts.normalized()
	if err != nil {
		return nil, err
	}
	evalQrels, evalOpts := sharedQuerySet(systems, qrels, opts.Eval)
	c := &Comparison{
		Measures:   opts.Measures,
		Baseline:   systems[0].Name,
		Alpha:      opts.Alpha,
		Iterations: opts.Iterations,
		Seed:       opts.Seed,
		Marker:     opts.Marker,
		Rows:       make([]Row, len(systems)),
	}
	results := make([]*metrics.Result, len(systems))
	for i, s := range systems {
		res, err := metrics.Evaluate(s.Run, evalQrels, opts.Measures, evalOpts)
		if err != nil {
			return nil, &SystemError{System: s.Name, Op: "evaluate", Err: err}
		}
		results[i] = res
		row, err := measureSystem(s, res, teacher)
		if err != nil {
			return nil, err
		}
		c.Rows[i] = row
	}
	c.QueryIDs = slices.Clone(results[0].QueryIDs)
	sortQueryIDs(c.QueryIDs)
	for i := range c.Rows {
		c.Rows[i].CI95 = confidenceIntervals(&c.Rows[i], c.QueryIDs, opts.Seed)
	}
	c.RelevanceLevel = results[0].Options.RelevanceLevel
	c.HeldOutQueries = len(teacher)
	for i := 1; i < len(systems); i++ {
		c.Rows[i].Significance = significance(results[0], results[i], &c.Rows[0], &c.Rows[i], opts)
	}
	return c, nil
}

// checkNames rejects an empty list and empty or repeated names.
func checkNames(systems []System) error {
	if len(systems) == 0 {
		return ErrNoSystems
	}
	seen := make(map[string]bool, len(systems))
	for i, s := range systems {
		if s.Name == "" {
			return &SystemError{System: "#" + itoa(i+1), Op: "check name", Err: ErrEmptyName}
		}
		if seen[s.Name] {
			return &SystemError{System: s.Name, Op: "check name", Err: ErrDuplicateName}
		}
		seen[s.Name] = true
	}
	return nil
}

// sharedQuerySet returns the judgements every system is evaluated on and
// the matching trec_eval options: the judged queries retrieved by at least
// one system (or all judged queries with CompleteQueries), evaluated with
// CompleteQueries so that a system missing a query scores 0 on it.
func sharedQuerySet(systems []System, qrels datasets.Qrels, opts metrics.Options) (datasets.Qrels, metrics.Options) {
	if opts.CompleteQueries {
		return qrels, opts
	}
	opts.CompleteQueries = true
	shared := make(datasets.Qrels)
	for qid, judged := range qrels {
		if len(judged) == 0 {
			continue
		}
		for _, s := range systems {
			if len(s.Run[qid]) > 0 {
				shared[qid] = judged
				break
			}
		}
	}
	return shared, opts
}

// measureSystem fills a Row from a system's evaluation and its own data.
func measureSystem(s System, res *metrics.Result, teacher []labels.Row) (Row, error) {
	row := Row{
		Name:          s.Name,
		Kind:          s.Kind,
		Depth:         s.Depth,
		Mean:          withinDepth(res.Mean, s.Depth),
		PerQuery:      make(map[string]map[metrics.Measure]float64, len(res.PerQuery)),
		Latency:       summarizeLatency(s.Latencies),
		IndexBytes:    s.IndexBytes,
		AvgNonZeros:   finiteOrNil(s.AvgNonZeros),
		FLOPS:         finiteOrNil(s.FLOPS),
		Steps:         s.Steps,
		LabelsUsed:    s.LabelsUsed,
		CheckpointDir: s.CheckpointDir,
		ModelSHA256:   s.ModelSHA256,
	}
	for q, v := range res.PerQuery {
		row.PerQuery[q] = withinDepth(v, s.Depth)
	}
	if s.Scores != nil && len(teacher) > 0 {
		row.Agreement = agreement(s.Scores, teacher)
	}
	if s.MetricsLog != "" {
		log, err := ReadTrainingLog(s.MetricsLog)
		if err != nil {
			return Row{}, &SystemError{System: s.Name, Op: "read training log", Err: err}
		}
		row.Training = log
	}
	return row, nil
}

// withinDepth returns the measures of m whose cut-off is at most depth (all
// of them when depth is 0), as trec_eval's measures of a list of depth
// documents are only honest up to that cut-off.
func withinDepth(m map[metrics.Measure]float64, depth int) map[metrics.Measure]float64 {
	out := make(map[metrics.Measure]float64, len(m))
	for k, v := range m {
		if depth == 0 || metrics.Cutoff(k) <= depth {
			out[k] = v
		}
	}
	return out
}
