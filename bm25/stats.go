package bm25

// Stats summarizes an index.
type Stats struct {
	Docs       int     // documents added
	DocCount   int     // documents with at least one term: N in the idf
	Tokens     int64   // indexed terms over all documents, repeats included
	AvgDocLen  float64 // Tokens / DocCount: avgdl in the BM25 formula
	Vocabulary int     // distinct terms
	Postings   int     // (term, document) pairs
}

// Stats returns the index's collection statistics.
func (ix *Index) Stats() Stats {
	s := Stats{
		Docs:       len(ix.ids),
		DocCount:   ix.docCount,
		Tokens:     ix.tokens,
		AvgDocLen:  ix.avgDocLen(),
		Vocabulary: len(ix.vocab),
	}
	for _, ps := range ix.postings {
		s.Postings += len(ps)
	}
	return s
}
