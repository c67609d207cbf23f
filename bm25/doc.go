// Package bm25 provides Lucene-style BM25 first-stage retrieval: an English
// analyzer that follows Lucene's EnglishAnalyzer (StandardTokenizer,
// EnglishPossessiveFilter, LowerCaseFilter, StopFilter, PorterStemFilter), an
// in-memory inverted index, and BM25Similarity scoring as Lucene 8+ and
// Anserini compute it, including Lucene's one-byte document-length encoding.
//
// A typical stage-1 run:
//
//	ix, err := bm25.NewIndex(bm25.DefaultParams())
//	for _, d := range corpus {
//		if err := ix.Add(d.ID, d.Title+" "+d.Text); err != nil { ... }
//	}
//	hits := ix.Search("causes of left ventricular hypertrophy", 1000)
//
// Scores follow Lucene's BM25Similarity since Lucene 8.0:
//
//	idf(t)      = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))
//	score(q, d) = Σ_{t ∈ q} qtf(t) · idf(t) · tf(t,d) / (tf(t,d) + k1·(1 - b + b·dl(d)/avgdl))
//
// where N is the number of documents with at least one indexed term, n(t) the
// number of documents containing t, dl(d) the number of indexed terms of d
// (decoded from its one-byte norm when Params.QuantizeLength is set), avgdl
// the exact mean of dl over those N documents, and qtf(t) how often t occurs
// in the analyzed query (Anserini's bag-of-words query boosts a repeated term
// by its count). The (k1+1) factor of the textbook formula is dropped, as in
// Lucene 8+; it scales every score by the same constant and does not change
// rankings. Scores are computed in float64 where Lucene uses float32, so
// absolute values agree to about 1e-6 relative and near-ties may order
// differently.
//
// Hits are ordered by score descending, then by document id ascending (byte
// order), so rankings are deterministic whatever the insertion order or the
// number of workers; Lucene instead breaks ties by internal document number.
package bm25
