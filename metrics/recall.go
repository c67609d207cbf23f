package metrics

// recallAt is trec_eval's recall_k (m_recall.c):
//
//	R@k = |{i ≤ k : rel_i ≥ ℓ}| / num_rel
//
// Special cases: R@k = 0 when the query has no relevant judgement (num_rel = 0).
func recallAt(jr *judgedRanking, level, k int) float64 {
	if jr.numRel == 0 {
		return 0
	}
	return float64(relevantInTop(jr, level, k)) / float64(jr.numRel)
}
