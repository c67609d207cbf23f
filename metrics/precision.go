package metrics

// precisionAt is trec_eval's P_k (m_P.c):
//
//	P@k = |{i ≤ k : rel_i ≥ ℓ}| / k
//
// Special cases: when fewer than k documents are retrieved the missing ranks
// count as non-relevant, so 4 relevant of 15 retrieved gives P@20 = 4/20.
func precisionAt(jr *judgedRanking, level, k int) float64 {
	return float64(relevantInTop(jr, level, k)) / float64(k)
}

// relevantInTop counts documents with rel ≥ level among the top k.
func relevantInTop(jr *judgedRanking, level, k int) int {
	n := min(k, len(jr.rels))
	count := 0
	for _, rel := range jr.rels[:n] {
		if rel >= level {
			count++
		}
	}
	return count
}
