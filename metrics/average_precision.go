package metrics

// averagePrecision is trec_eval's map for one query (m_map.c):
//
//	AP = (1/R) · Σ_{i : rel_i ≥ ℓ} P@i,   P@i = |{j ≤ i : rel_j ≥ ℓ}| / i
//
// where R is num_rel, the number of judged documents with rel ≥ ℓ, retrieved
// or not, and ℓ is the relevance level.
//
// Special cases: AP = 0 when no relevant document is retrieved (including
// R = 0).
func averagePrecision(jr *judgedRanking, level int) float64 {
	found, sum := 0, 0.0
	for i, rel := range jr.rels {
		if rel >= level {
			found++
			sum += float64(found) / float64(i+1)
		}
	}
	if found == 0 {
		return 0
	}
	return sum / float64(jr.numRel)
}
