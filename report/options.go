package report

import (
	"math"
	"slices"

	"github.com/distill-ml/distill/metrics"
)

// Default option values.
const (
	DefaultAlpha      = 0.05
	DefaultIterations = 10000
	DefaultMarker     = "†"
)

// DefaultMeasures are the measures compared when Options.Measures is empty.
var DefaultMeasures = []metrics.Measure{metrics.MRR10, metrics.NDCG10, metrics.Recall100}

// Options configure Compare. The zero value selects the defaults.
type Options struct {
	// Measures to compare, in column order; names are canonicalised with
	// metrics.ParseMeasure ("nDCG@10" works). Empty selects DefaultMeasures.
	Measures []metrics.Measure
	// Eval are the trec_eval settings passed to metrics.Evaluate.
	// CompleteQueries widens the query set to every judged query (see the
	// package documentation).
	Eval metrics.Options
	// Alpha is the significance level: p < Alpha is marked. Zero selects
	// DefaultAlpha; it must lie in (0, 1).
	Alpha float64
	// Iterations of the randomisation test. Zero selects DefaultIterations;
	// negative values are an error.
	Iterations int
	// Seed of the randomisation test; every seed, 0 included, is valid.
	Seed int64
	// Marker follows a significantly different value. Empty selects
	// DefaultMarker.
	Marker string
}

// normalized fills in defaults, canonicalises the measures and checks ranges.
func (o Options) normalized() (Options, error) {
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if !(o.Alpha > 0 && o.Alpha < 1) || math.IsNaN(o.Alpha) {
		return o, &OptionError{Field: "Alpha", Value: o.Alpha, Want: "in (0, 1)"}
	}
	if o.Iterations == 0 {
		o.Iterations = DefaultIterations
	}
	if o.Iterations < 0 {
		return o, &OptionError{Field: "Iterations", Value: o.Iterations, Want: ">= 0"}
	}
	if o.Marker == "" {
		o.Marker = DefaultMarker
	}
	in := o.Measures
	if len(in) == 0 {
		in = DefaultMeasures
	}
	o.Measures = make([]metrics.Measure, 0, len(in))
	for _, m := range in {
		c, err := metrics.ParseMeasure(string(m))
		if err != nil {
			return o, err
		}
		if !slices.Contains(o.Measures, c) {
			o.Measures = append(o.Measures, c)
		}
	}
	return o, nil
}
