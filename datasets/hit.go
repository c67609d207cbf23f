package datasets

// Hit is one retrieved document and its score: what a first stage (package
// bm25) or an index (package retrieval) returns for a query, best first.
type Hit struct {
	DocID string
	Score float64
}

// HitEntries returns a query's ranked hits as run entries: ranks from 1 in
// the order of the hits, each entry tagged tag.
func HitEntries(queryID string, hits []Hit, tag string) []RunEntry {
	entries := make([]RunEntry, len(hits))
	for r, h := range hits {
		entries[r] = RunEntry{QueryID: queryID, DocID: h.DocID, Rank: r + 1, Score: h.Score, Tag: tag}
	}
	return entries
}
