package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/bm25"
	"github.com/distill-ml/distill/datasets"
)

func (a *app) bm25Cmd() *cobra.Command {
	var queries, corpus, out, tag string
	var depth, workers int
	var k1, b float64
	var noQuantize bool
	c := &cobra.Command{
		Use:   "bm25 --queries Q --corpus C --depth K --out RUN",
		Short: "Retrieve the top-K documents per query with BM25 and write a TREC run",
		Long: `Indexes the corpus in memory and retrieves the top --depth documents of every
query with Lucene's BM25 (the Lucene 8+ formula idf·tf/(tf + k1·(1 − b + b·dl/avgdl)),
idf = ln(1 + (N − n + 0.5)/(n + 0.5)), document lengths quantised to one byte as
Lucene stores them) over Lucene's EnglishAnalyzer (standard tokenizer,
possessive filter, lowercase, English stop words, Porter stemmer). Defaults
k1 = 0.9, b = 0.4 are Anserini's MS MARCO settings. Documents are indexed as
title + text. Ties are broken by document id.

This is stage 1 of the pipeline: the candidates the teacher labels (hard
negatives for the students), and the baseline of every comparison.`,
		Example: `  distill bm25 --dataset data/cranfield-beir --depth 100 --out bm25.run
  distill bm25 --queries queries.tsv --corpus collection.tsv --depth 1000 --k1 1.2 --b 0.75 --out bm25.run`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if queries == "" || corpus == "" || out == "" {
				return usagef(cmd, "--queries, --corpus (or --dataset) and --out are required")
			}
			if depth < 1 {
				return usagef(cmd, "--depth must be ≥ 1")
			}
			params := bm25.DefaultParams()
			params.K1, params.B, params.QuantizeLength = k1, b, !noQuantize
			ix, err := bm25.NewIndex(params)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			t0 := time.Now()
			bar := a.console.Start("indexing", 0, 0, "documents") // streamed: the total is not known
			err = datasets.ForEachDocument(corpus, func(d datasets.Document) error {
				bar.Add(1)
				return ix.Add(d.ID, d.FullText())
			})
			bar.Done()
			if err != nil {
				return fmt.Errorf("bm25: %w", err)
			}
			st := ix.Stats()
			if st.Docs == 0 {
				return fmt.Errorf("bm25: corpus %s holds no documents", corpus)
			}
			a.log.Info("indexed", zap.String("corpus", corpus), zap.Int("docs", st.Docs), zap.Float64("avg_doc_len", st.AvgDocLen),
				zap.Int("vocabulary", st.Vocabulary), zap.Duration("took", time.Since(t0)))
			qs, err := datasets.ReadQueries(queries)
			if err != nil {
				return fmt.Errorf("bm25: %w", err)
			}
			texts := make([]string, len(qs))
			for i, q := range qs {
				if strings.TrimSpace(q.Text) == "" {
					return fmt.Errorf("bm25: %s: query %s has an empty text", queries, q.ID)
				}
				texts[i] = q.Text
			}
			t1 := time.Now()
			hits, err := ix.SearchAll(cmd.Context(), texts, depth, workers)
			if err != nil {
				return fmt.Errorf("bm25: %w", err)
			}
			run := datasets.Run{}
			for i, q := range qs {
				entries := make([]datasets.RunEntry, len(hits[i]))
				for r, h := range hits[i] {
					entries[r] = datasets.RunEntry{QueryID: q.ID, DocID: h.DocID, Rank: r + 1, Score: h.Score, Tag: tag}
				}
				run[q.ID] = entries
			}
			if err := datasets.WriteRun(out, run, tag); err != nil {
				return fmt.Errorf("bm25: %w", err)
			}
			el := time.Since(t1)
			a.log.Info("retrieved", zap.Int("queries", len(qs)), zap.Int("depth", depth), zap.Float64("queries_per_s", float64(len(qs))/el.Seconds()))
			fmt.Fprintf(a.stdout, "wrote %s: top %d of %d documents for %d queries\n", out, depth, st.Docs, len(qs))
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&queries, "queries", "", "queries: BEIR queries.jsonl or TSV")
	f.StringVar(&corpus, "corpus", "", "corpus: BEIR corpus.jsonl or TSV")
	f.IntVar(&depth, "depth", 100, "documents per query")
	f.StringVar(&out, "out", "", "output TREC run")
	f.StringVar(&tag, "tag", "bm25", "run tag")
	f.Float64Var(&k1, "k1", 0.9, "BM25 k1")
	f.Float64Var(&b, "b", 0.4, "BM25 b")
	f.BoolVar(&noQuantize, "exact-length", false, "use exact document lengths instead of Lucene's one-byte encoding")
	f.IntVar(&workers, "threads", runtime.NumCPU(), "queries searched in parallel")
	addDatasetFlag(c)
	aliases(c, map[string]string{"workers": "threads"})
	return c
}
