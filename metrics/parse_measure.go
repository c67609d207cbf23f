package metrics

import (
	"strconv"
	"strings"
)

// ParseMeasure returns the canonical Measure for name. It accepts
//
//	trec_eval names:     map  recip_rank  ndcg  num_ret  num_rel  num_rel_ret
//	                     P_10  recall_100  ndcg_cut_10  recip_rank_cut_10
//	trec_eval -m form:   P.10  recall.100  ndcg_cut.10  (one cut-off only)
//	aliases (any case):  MRR@10 RR@10 → recip_rank_cut_10   MRR RR → recip_rank
//	                     nDCG@10 → ndcg_cut_10   nDCG → ndcg
//	                     R@100 Recall@100 → recall_100   P@10 → P_10
//	                     AP MAP → map
//
// Cut-offs must be positive decimal integers. Errors are *MeasureError
// wrapping ErrUnknownMeasure or ErrBadCutoff.
func ParseMeasure(name string) (Measure, error) {
	s, err := parseSpec(name)
	if err != nil {
		return "", err
	}
	return s.name(), nil
}

// aliasFamilies maps lower-cased alias stems to families; a stem followed by
// "@k" selects the cut-off family.
var aliasFamilies = map[string]struct{ plain, cut family }{
	"mrr":    {famRecipRank, famRecipRankCut},
	"rr":     {famRecipRank, famRecipRankCut},
	"ndcg":   {famNDCG, famNDCGCut},
	"r":      {famNone, famRecall},
	"recall": {famNone, famRecall},
	"p":      {famNone, famP},
	"ap":     {famMAP, famNone},
	"map":    {famMAP, famNone},
}

func parseSpec(name string) (spec, error) {
	unknown := &MeasureError{Name: name, Err: ErrUnknownMeasure}
	// Exact trec_eval names first (they are case-sensitive: "P_10").
	for f := range familyNames {
		fam := family(f)
		base := familyNames[fam]
		if !fam.hasCutoff() {
			if name == base {
				return spec{fam: fam}, nil
			}
			continue
		}
		for _, sep := range []string{"_", "."} {
			if rest, ok := strings.CutPrefix(name, base+sep); ok {
				k, err := parseCutoff(name, rest)
				return spec{fam: fam, k: k}, err
			}
		}
	}
	// Aliases, case-insensitive.
	stem, cut, hasCut := strings.Cut(strings.ToLower(name), "@")
	fams, ok := aliasFamilies[stem]
	if !ok {
		return spec{}, unknown
	}
	if !hasCut {
		if fams.plain == famNone {
			return spec{}, unknown
		}
		return spec{fam: fams.plain}, nil
	}
	if fams.cut == famNone {
		return spec{}, unknown
	}
	k, err := parseCutoff(name, cut)
	return spec{fam: fams.cut, k: k}, err
}

// parseCutoff parses the k of a measure name: decimal digits, value ≥ 1.
func parseCutoff(name, s string) (int, error) {
	bad := &MeasureError{Name: name, Err: ErrBadCutoff}
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, bad
	}
	k, err := strconv.Atoi(s)
	if err != nil || k < 1 {
		return 0, bad
	}
	return k, nil
}

// Cutoff returns the cut-off k of a measure such as recall_100 (0 for a
// measure without one, such as map, or an unknown name). A ranked list
// shorter than k makes the measure at k the measure at the list's depth:
// trec_eval computes it anyway, ir_measures too; callers that report it
// should leave it out (see report.System.Depth).
func Cutoff(m Measure) int {
	s, err := parseSpec(string(m))
	if err != nil {
		return 0
	}
	return s.k
}
