package metrics

// reciprocalRank is trec_eval's recip_rank (m_recip_rank.c), optionally cut:
//
//	RR@k = 1/r   where r is the rank of the first document with rel ≥ ℓ, if r ≤ k
//	     = 0     otherwise
//
// k ≤ 0 means no cut-off. RR@k equals "trec_eval -M k -m recip_rank" and
// ir_measures' RR@k; MRR@10 of MS MARCO is its mean with k = 10.
func reciprocalRank(jr *judgedRanking, level, k int) float64 {
	n := len(jr.rels)
	if k > 0 && k < n {
		n = k
	}
	for i, rel := range jr.rels[:n] {
		if rel >= level {
			return 1 / float64(i+1)
		}
	}
	return 0
}
