// Package metrics evaluates retrieval runs the way trec_eval does, measures
// how closely a student's scores agree with a teacher's, tests whether two
// checkpoints differ significantly, and summarises latencies.
//
// # Retrieval measures
//
// Evaluate scores a run (datasets.Run) against relevance judgements
// (datasets.Qrels) and reproduces trec_eval 9.x (usnistgov/trec_eval) for
// the measures it supports:
//
//	num_ret  num_rel  num_rel_ret  map  recip_rank  P_k  recall_k  ndcg  ndcg_cut_k
//
// plus recip_rank_cut_k, the reciprocal rank counted only within the top k
// (MRR@10 of MS MARCO and ir_measures' RR@10; the value of
// "trec_eval -M 10 -m recip_rank"). ParseMeasure also accepts the
// ir_measures-style aliases MRR@10, RR@10, nDCG@10, R@100, P@10 and AP.
//
// The conventions, each taken from trec_eval's source:
//
//   - The rank column of the run is ignored. Each query's documents are
//     re-sorted by score, highest first; equal scores are ordered by document
//     id in descending byte order (trec_eval's comp_sim_docno:
//     strcmp(docno2, docno1)). For the scores {d3: 0.8, d5: 0.8} the ranking is
//     d5, d3. Scores are compared as float64, like current trec_eval, which
//     stores them as double (old releases stored float32, which can tie scores
//     differing only beyond float32 precision).
//   - A document listed twice for one query keeps its first entry (input
//     order) and later ones are dropped. trec_eval instead refuses such a run
//     ("duplicate docs"); this is the one deliberate difference.
//   - A document is relevant for the binary measures (map, recip_rank, P,
//     recall, num_rel, num_rel_ret) when its judgement is at least
//     Options.RelevanceLevel, 1 by default (trec_eval -l).
//   - Gains for ndcg and ndcg_cut are the judgement values themselves
//     (gain = rel, not 2^rel − 1), independent of RelevanceLevel; negative
//     judgements and unjudged documents have gain 0. The discount of rank r
//     (1-based) is log2(r+1). The ideal ranking orders all of the query's
//     positively judged documents, retrieved or not, by decreasing gain.
//   - Queries in the run without judgements are skipped. Judged queries
//     absent from the run are skipped too, unless Options.CompleteQueries is
//     set (trec_eval -c): then they are evaluated as empty rankings, scoring 0
//     on every measure but num_rel, and count in the mean.
//   - Options.MaxRetrieved keeps only the top documents of each ranking
//     before any measure is computed (trec_eval -M).
//   - The summary line ("all") is the mean over evaluated queries, except for
//     num_ret, num_rel and num_rel_ret, whose summary is the sum.
//
// Example: with judgements {d1: 1, d2: 0, d3: 2, d4: 1, d9: 1} and the run
// d1 0.9, d5 0.8, d3 0.8, d2 0.7, d4 0.5 the ranked judgements are
// [1, unjudged, 2, 0, 1], so P_5 = 3/5, recall_100 = 3/4 and
// map = (1/1 + 2/3 + 3/5) / 4.
//
// # Agreement, significance and latency
//
// KendallTau (tau-b) and SpearmanRho compare two score vectors over the same
// candidates, handling ties; BestMarginMSE compares their score margins
// against the teacher's best candidate. PairedTTest and PairedRandomization compare two
// systems' per-query values (see PairedValues). Percentile, Median and
// Summarize describe latency samples.
package metrics
