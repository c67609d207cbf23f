package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/metrics"
)

// evalOptions is what `distill eval` runs with.
type evalOptions struct {
	IO       streams
	Run      string
	Qrels    string
	Measures []metrics.Measure
	Eval     metrics.Options
	JSON     bool
	PerQuery bool
}

func (a *app) evalCmd() *cobra.Command {
	var opts evalOptions
	var measures string
	c := &cobra.Command{
		Use:   "eval --run RUN --qrels QRELS [--json]",
		Short: "Evaluate a TREC run against relevance judgements (trec_eval-identical)",
		Long: `Computes retrieval measures of a TREC run with trec_eval's conventions: the run
is re-sorted by score (ties broken by docid, descending, as trec_eval does; the
rank column is ignored), gain is the judged relevance level, binary measures
count a document relevant at relevance ≥ --level (default 1), queries without
judgements are skipped, and judged queries missing from the run are skipped
unless -c. Output is trec_eval's layout (measure, query or 'all', value); -q
adds per-query lines; --json prints everything as JSON.

--measures takes trec_eval names (recip_rank, ndcg_cut_10, map, recall_100,
recall_1000, P_10, ndcg, num_rel_ret, ...) or aliases (MRR@10, nDCG@10,
R@100, P@10, MAP). recip_rank_cut_10 (MRR@10) equals trec_eval -M 10 -m
recip_rank.`,
		Example: `  distill eval --run bm25.run --qrels data/cranfield-beir/qrels/test.tsv
  distill eval --run ce.run --qrels qrels.txt --measures MRR@10,nDCG@10 -q --json`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := required(cmd, "run", "qrels"); err != nil {
				return err
			}
			for _, name := range strings.Split(measures, ",") {
				m, err := metrics.ParseMeasure(strings.TrimSpace(name))
				if err != nil {
					return usagef(cmd, "--measures: %v", err)
				}
				opts.Measures = append(opts.Measures, m)
			}
			opts.IO = a.streams()
			return runEval(&opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Run, "run", "", "TREC run file (qid Q0 docid rank score tag)")
	f.StringVar(&opts.Qrels, "qrels", "", "judgements: TREC qrels (qid 0 docid rel) or BEIR TSV")
	f.StringVar(&measures, "measures", "recip_rank_cut_10,ndcg_cut_10,map,recall_100,recall_1000,P_10", "comma-separated measures")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.BoolVarP(&opts.PerQuery, "per-query", "q", false, "also print per-query values (trec_eval -q)")
	f.BoolVarP(&opts.Eval.CompleteQueries, "complete", "c", false, "average over all judged queries, scoring those missing from the run 0 (trec_eval -c)")
	f.IntVarP(&opts.Eval.RelevanceLevel, "level", "l", 1, "relevance level for binary measures (trec_eval -l)")
	f.IntVarP(&opts.Eval.MaxRetrieved, "max-retrieved", "M", 0, "evaluate only the top M of each query (trec_eval -M; 0: all)")
	addDatasetFlag(c)
	return c
}

// runEval evaluates the run and prints the measures.
func runEval(opts *evalOptions) error {
	r, err := datasets.ReadRun(opts.Run)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	q, err := datasets.ReadQrels(opts.Qrels)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	res, err := metrics.Evaluate(r, q, opts.Measures, opts.Eval)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if opts.JSON {
		return res.WriteJSON(opts.IO.Out, opts.PerQuery)
	}
	return res.WriteTREC(opts.IO.Out, opts.PerQuery)
}
