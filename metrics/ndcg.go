package metrics

import "math"

// ndcgAt is trec_eval's ndcg (k ≤ 0, m_ndcg.c) and ndcg_cut_k (m_ndcg_cut.c)
// with default gains:
//
//	DCG@k  = Σ_{r=1}^{min(k,n)} g_r / log2(r+1),   g_r = max(rel_r, 0)
//	IDCG@k = Σ_{r=1}^{min(k,m)} g*_r / log2(r+1)
//	nDCG@k = DCG@k / IDCG@k
//
// The gain is the judgement value itself (Järvelin & Kekäläinen's linear
// gain, as trec_eval documents: "Gain values are the relevance values in the
// qrels file"), not the 2^rel − 1 of Burges et al. Unjudged documents and
// negative judgements gain 0. g* lists the query's m positive judgements in
// decreasing order, whether retrieved or not; for ndcg (no cut-off) k is
// unbounded. The relevance level does not affect these measures.
//
// Special cases: nDCG = 0 when the query has no positive judgement.
func ndcgAt(jr *judgedRanking, k int) float64 {
	n, m := len(jr.rels), len(jr.ideal)
	if k > 0 {
		n, m = min(n, k), min(m, k)
	}
	var idcg float64
	for i, g := range jr.ideal[:m] {
		idcg += float64(g) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	var dcg float64
	for i, rel := range jr.rels[:n] {
		if rel > 0 {
			dcg += float64(rel) / math.Log2(float64(i+2))
		}
	}
	return dcg / idcg
}
