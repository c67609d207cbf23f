// Package retrieval provides full-corpus first-stage retrieval for distilled
// students: an inverted index of SPLADE-style sparse vectors, and exact
// ColBERT-style MaxSim search over stored document token embeddings.
//
// The package takes plain Go slices and SparseVectors (the student's SPLADE
// encodes into them) and returns ranked hits; it does not depend on the
// student package. Package ranker indexes a corpus with a checkpoint
// through it.
//
// # SPLADE
//
// A document and a query are sparse vectors over a vocabulary. The score of a
// document is the dot product
//
//	score(q, d) = Σ_{t ∈ q ∩ d} w_q(t) · w_d(t)
//
// accumulated term at a time, in the query's term order, in float32. Only
// documents sharing at least one term with the query are candidates.
//
//	b := retrieval.NewSparseIndexBuilder(30522)
//	_ = b.Add("d1", retrieval.SparseVector{Terms: []int32{7, 2001}, Weights: []float32{1.5, 0.25}})
//	ix := b.Build()
//	hits := ix.Search(q, 1000)
//
// The sparsity of an index is measured by the FLOPS of Paria et al. (2020),
// as reported by Formal et al. (SPLADE, 2021):
//
//	FLOPS = Σ_j p̂_j(q) · p̂_j(d)
//
// where p̂_j(q) is the fraction of queries with a non-zero weight on term j and
// p̂_j(d) the fraction of documents with one; it is the expected number of
// multiplications a (query, document) pair costs.
//
// # ColBERT
//
// A document is a matrix of L2-normalised token embeddings. The late-
// interaction score of a query with token vectors q_i is
//
//	score(q, d) = Σ_i max_j q_i · d_j
//
// computed exactly for every document with a blocked matrix product (blas32
// Sgemm of the query against the concatenated token matrix of a block of
// documents) followed by a per-document maximum.
//
// # Ranking
//
// Hits are ordered by score descending, then by document id ascending (byte
// order), so rankings are the same whatever the insertion order of the
// documents or the number of workers.
//
// # On disk
//
// Both indexes are saved as a folder of Arrow IPC files (internal/arrowfile)
// plus manifest.json (internal/manifest),
// which lists every file with its size and sha256 and is written last; each
// file is written atomically. A missing, truncated or altered file is an
// error naming it.
package retrieval
