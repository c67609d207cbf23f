package metrics

import (
	"bufio"
	"fmt"
	"io"
)

// WriteTREC writes r in trec_eval's output layout: one line per measure,
//
//	measure<TAB>query<TAB>value
//
// with the measure name left-justified in 22 columns, as trec_eval's
// "%-22s\t%s\t%6.4f" (counts: "%-22s\t%s\t%ld"). With perQuery (trec_eval
// -q) every evaluated query's lines come first, queries in byte order; the
// summary lines, with query "all", come last. For example:
//
//	map                   	q1	0.5667
//	num_rel               	all	5
//	map                   	all	0.2722
//
// Measures appear in trec_eval's order (num_ret, num_rel, num_rel_ret, map,
// recip_rank, recip_rank_cut, P, recall, ndcg, ndcg_cut; cut-offs ascending).
func (r *Result) WriteTREC(w io.Writer, perQuery bool) error {
	bw := bufio.NewWriter(w)
	counts := make([]bool, len(r.Measures))
	for i, m := range r.Measures {
		s, err := parseSpec(string(m))
		counts[i] = err == nil && s.fam.isCount()
	}
	if perQuery {
		for _, qid := range r.QueryIDs {
			for i, m := range r.Measures {
				writeTRECLine(bw, m, qid, r.PerQuery[qid][m], counts[i])
			}
		}
	}
	for i, m := range r.Measures {
		v, _ := r.Summary(m)
		writeTRECLine(bw, m, "all", v, counts[i])
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("metrics: write trec_eval output: %w", err)
	}
	return nil
}

// writeTRECLine writes one line; count measures print as integers.
func writeTRECLine(w *bufio.Writer, m Measure, qid string, v float64, count bool) {
	if count {
		fmt.Fprintf(w, "%-22s\t%s\t%d\n", m, qid, int64(v))
		return
	}
	fmt.Fprintf(w, "%-22s\t%s\t%6.4f\n", m, qid, v)
}
