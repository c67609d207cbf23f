// Package report compares distilled checkpoints side by side: the
// comparison behind "distill compare".
//
// Compare takes one System per checkpoint (or baseline: BM25, the teacher),
// each with its run over the same test queries, and measures
//
//   - retrieval quality: MRR@10, nDCG@10 and Recall@100 by default
//     (Options.Measures), computed by metrics.Evaluate with trec_eval's
//     conventions on one shared query set (see below);
//   - agreement with the teacher on held-out teacher-labelled candidates:
//     Kendall's τ-b, Spearman's ρ and the best-margin MSE, per query and
//     averaged;
//   - cost: median and p95 query latency, index size, and for SPLADE the
//     average number of non-zero weights and FLOPS;
//   - provenance: steps, labels, checkpoint folder and training log.
//
// Every system is tested against the first one (the baseline) on each
// measure's per-query values with a two-sided paired randomisation test
// (metrics.PairedRandomization; 10,000 iterations and a fixed seed by
// default). A value whose difference from the baseline has p < Options.Alpha
// (0.05) is followed by Options.Marker ("†"); the p-values are kept in the
// Comparison and in its JSON.
//
// # Query set
//
// All systems are evaluated on the same queries: the judged queries (at
// least one judgement in qrels) retrieved by at least one system. A system
// that returns nothing for such a query scores 0 on it (trec_eval -c), so a
// system is never rewarded for skipping hard queries. With
// Options.Eval.CompleteQueries set, every judged query is used.
//
// # Agreement
//
// For each held-out teacher row (labels.Row) whose query the system scored
// (System.Scores), the candidates scored by both form two vectors, s for the
// system and t for the teacher. Then τ = metrics.KendallTau(s, t),
// ρ = metrics.SpearmanRho(s, t) and, with p the candidate the teacher scores
// highest (the first one on ties), metrics.BestMarginMSE(s, t),
//
//	BestMarginMSE = (1/(n−1)) Σ_{j≠p} ((s_p − s_j) − (t_p − t_j))²
//
// the Margin-MSE of Hofstätter et al. (2020) over the pairs (p, j) (the
// training loss takes sampled positive/negative triples instead). The
// summary is the mean over queries (macro average); a query where τ or ρ is
// undefined (fewer than two candidates, constant scores) is left out of that
// mean. JSON holds it as "best_margin_mse" and, for readers of earlier
// reports, again as "margin_mse".
//
// The best-margin MSE is taken on raw scores, exactly as the training loss
// sees them. Student scores (MaxSim sums, sparse dot products) and teacher
// logits live on different scales, so a student that ranks exactly like the
// teacher can still have a large best-margin MSE: compare it between
// checkpoints trained against the same teacher, and read τ and ρ for
// scale-free agreement.
//
// # Rendering
//
// WriteTable (aligned terminal text), WriteMarkdown (a GitHub table and
// notes), WriteJSON (everything, per-query values included) and WriteHTML (a
// self-contained report.html and PNG plots drawn with gonum.org/v1/plot)
// render a Comparison. Absent values are shown as "-".
package report
