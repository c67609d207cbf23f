package retrieval

import "unsafe"

// SparseStats describes the size of a SparseIndex.
type SparseStats struct {
	Documents   int
	Postings    int64   // non-zero (term, document) entries
	AvgNonZeros float64 // Postings / Documents
	TermsUsed   int     // terms with at least one posting
	VocabSize   int
	PruneTopK   int // per-document pruning applied at build time (0: none)
	// Bytes is the in-memory size of the index: 4+4 bytes per posting
	// (document, weight), 8 per vocabulary offset, and the document ids
	// (string bytes plus a 16-byte string header each).
	Bytes int64
}

// Stats returns the index's size.
func (ix *SparseIndex) Stats() SparseStats {
	s := SparseStats{Documents: len(ix.ids), Postings: int64(len(ix.docs)), VocabSize: ix.vocab, PruneTopK: ix.pruneTopK}
	if s.Documents > 0 {
		s.AvgNonZeros = float64(s.Postings) / float64(s.Documents)
	}
	for t := range ix.vocab {
		if ix.offsets[t+1] > ix.offsets[t] {
			s.TermsUsed++
		}
	}
	s.Bytes = s.Postings*8 + int64(len(ix.offsets))*8
	for _, id := range ix.ids {
		s.Bytes += int64(len(id)) + int64(unsafe.Sizeof(id))
	}
	return s
}

// FLOPS returns the expected number of multiplications a (query, document)
// pair costs on this index (Paria et al., 2020; Formal et al., 2021):
//
//	FLOPS = Σ_j p̂_j(q) · p̂_j(d)
//
// with p̂_j(q) the fraction of queries having term j with a non-zero weight,
// and p̂_j(d) = df(j) / N the fraction of the index's N documents having it.
//
// Special cases: a term repeated in a query counts once; terms outside the
// vocabulary have p̂_j(d) = 0; FLOPS is 0 for no queries or an empty index.
func (ix *SparseIndex) FLOPS(queries []SparseVector) float64 {
	if len(queries) == 0 || len(ix.ids) == 0 {
		return 0
	}
	return ix.PostingsPerQuery(queries) / float64(len(ix.ids))
}

// PostingsPerQuery returns the average number of postings a query visits,
// Σ_{j ∈ q} df(j) averaged over queries: the work of a term-at-a-time search.
// It equals N · FLOPS, since averaging Σ_{j∈q} df(j) over queries gives
// Σ_j p̂_j(q)·df(j).
func (ix *SparseIndex) PostingsPerQuery(queries []SparseVector) float64 {
	if len(queries) == 0 {
		return 0
	}
	counted := make([]bool, ix.vocab)
	var total int64
	for _, q := range queries {
		n := min(len(q.Terms), len(q.Weights))
		for i, t := range q.Terms[:n] {
			if t < 0 || int(t) >= ix.vocab || q.Weights[i] == 0 || counted[t] {
				continue
			}
			counted[t] = true
			total += ix.offsets[t+1] - ix.offsets[t]
		}
		for _, t := range q.Terms[:n] {
			if t >= 0 && int(t) < ix.vocab {
				counted[t] = false
			}
		}
	}
	return float64(total) / float64(len(queries))
}
