package report

import (
	"math"

	"github.com/distill-ml/distill/metrics"
)

// significance tests sys against base on every measure both rows report
// (see withinDepth) with the paired randomisation test over the queries both
// evaluated (all of them, as Compare evaluates every system on the same
// query set).
func significance(base, sys *metrics.Result, baseRow, sysRow *Row, opts Options) map[metrics.Measure]Significance {
	out := make(map[metrics.Measure]Significance, len(opts.Measures))
	for _, m := range opts.Measures {
		_, inBase := baseRow.Mean[m]
		_, inSys := sysRow.Mean[m]
		if !inBase || !inSys {
			continue
		}
		_, a, b, err := metrics.PairedValues(sys, base, m)
		if err != nil || len(a) == 0 {
			continue // unreachable: both results hold m on the same queries
		}
		p := metrics.PairedRandomization(a, b, opts.Iterations, opts.Seed)
		if math.IsNaN(p) {
			continue
		}
		out[m] = Significance{
			Delta:       sys.Mean[m] - base.Mean[m],
			PValue:      p,
			Significant: p < opts.Alpha,
			Queries:     len(a),
		}
	}
	return out
}
