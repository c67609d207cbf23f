// Package compare evaluates retrieval systems side by side on the same test
// queries: BM25 (stage 1), the teacher cross-encoder reranking BM25, each
// distilled checkpoint as a first-stage retriever over the whole corpus (or
// as a reranker of BM25's candidates), and each checkpoint followed by the
// teacher (student top-k → cross-encoder), the multi-stage pipeline distill
// exists for. It measures what the rows need (runs, per-query latency with
// query encoding included, index sizes, SPLADE sparsity and FLOPS, scores of
// held-out teacher-labelled candidates for agreement) and hands them to
// package report, which computes the metrics and significance and renders
// the table, Markdown, JSON and HTML. Checkpoints are loaded, scored and
// indexed through package ranker.
package compare
