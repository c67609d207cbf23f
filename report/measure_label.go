package report

import (
	"strings"

	"github.com/distill-ml/distill/metrics"
)

// measureLabels maps trec_eval family prefixes to the names readers know.
var measureLabels = []struct{ prefix, label string }{
	{"recip_rank_cut_", "MRR@"},
	{"ndcg_cut_", "nDCG@"},
	{"recall_", "R@"},
	{"P_", "P@"},
}

// MeasureLabel returns the display name of a canonical measure:
// recip_rank_cut_10 → "MRR@10", ndcg_cut_10 → "nDCG@10", recall_100 →
// "R@100", P_10 → "P@10", map → "MAP", recip_rank → "MRR", ndcg → "nDCG";
// other names are returned unchanged.
func MeasureLabel(m metrics.Measure) string {
	s := string(m)
	for _, l := range measureLabels {
		if k, ok := strings.CutPrefix(s, l.prefix); ok {
			return l.label + k
		}
	}
	switch m {
	case metrics.MAP:
		return "MAP"
	case metrics.RecipRank:
		return "MRR"
	case metrics.NDCG:
		return "nDCG"
	}
	return s
}
