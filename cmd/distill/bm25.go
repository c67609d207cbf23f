package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/bm25"
	"github.com/distill-ml/distill/datasets"
)

// bm25Options is what `distill bm25` runs with.
type bm25Options struct {
	IO              streams
	Queries, Corpus string
	Out, Tag        string
	Depth           int
	Threads         int // queries searched in parallel
	Params          bm25.Params
}

func (a *app) bm25Cmd() *cobra.Command {
	opts := bm25Options{Params: bm25.DefaultParams()}
	var exactLength bool
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
			if opts.Queries == "" || opts.Corpus == "" || opts.Out == "" {
				return usagef(cmd, "--queries, --corpus (or --dataset) and --out are required")
			}
			if opts.Depth < 1 {
				return usagef(cmd, "--depth must be ≥ 1")
			}
			opts.Params.QuantizeLength = !exactLength
			if err := opts.Params.Validate(); err != nil {
				return usagef(cmd, "%v", err)
			}
			opts.IO = a.streams()
			return runBM25(cmd.Context(), &opts)
		},
	}
	f := c.Flags()
	addTextFlags(f, &opts.Queries, &opts.Corpus)
	f.IntVar(&opts.Depth, "depth", 100, "documents per query")
	f.StringVar(&opts.Out, "out", "", "output TREC run")
	f.StringVar(&opts.Tag, "tag", "bm25", "run tag")
	f.Float64Var(&opts.Params.K1, "k1", 0.9, "BM25 k1")
	f.Float64Var(&opts.Params.B, "b", 0.4, "BM25 b")
	f.BoolVar(&exactLength, "exact-length", false, "use exact document lengths instead of Lucene's one-byte encoding")
	f.IntVar(&opts.Threads, "threads", runtime.NumCPU(), "queries searched in parallel")
	addDatasetFlag(c)
	aliases(c, map[string]string{"workers": "threads"})
	return c
}

// runBM25 indexes the corpus, retrieves the top documents of every query
// and writes the run.
func runBM25(ctx context.Context, opts *bm25Options) error {
	ix, err := bm25.NewIndex(opts.Params)
	if err != nil {
		return fmt.Errorf("bm25: %w", err)
	}
	t0 := time.Now()
	bar := opts.IO.Console.Start("indexing", 0, 0, "documents") // streamed: the total is not known
	err = datasets.ForEachDocument(opts.Corpus, func(d datasets.Document) error {
		bar.Add(1)
		return ix.Add(d.ID, d.FullText())
	})
	bar.Done()
	if err != nil {
		return fmt.Errorf("bm25: %w", err)
	}
	st := ix.Stats()
	if st.Docs == 0 {
		return fmt.Errorf("bm25: corpus %s holds no documents", opts.Corpus)
	}
	opts.IO.Log.Info("indexed", zap.String("corpus", opts.Corpus), zap.Int("docs", st.Docs), zap.Float64("avg_doc_len", st.AvgDocLen),
		zap.Int("vocabulary", st.Vocabulary), zap.Duration("took", time.Since(t0)))
	qs, err := datasets.ReadQueries(opts.Queries)
	if err != nil {
		return fmt.Errorf("bm25: %w", err)
	}
	texts := make([]string, len(qs))
	for i, q := range qs {
		if strings.TrimSpace(q.Text) == "" {
			return fmt.Errorf("bm25: %s: query %s has an empty text", opts.Queries, q.ID)
		}
		texts[i] = q.Text
	}
	t1 := time.Now()
	hits, err := ix.SearchAll(ctx, texts, opts.Depth, opts.Threads)
	if err != nil {
		return fmt.Errorf("bm25: %w", err)
	}
	run := datasets.Run{}
	for i, q := range qs {
		run[q.ID] = datasets.HitEntries(q.ID, hits[i], opts.Tag)
	}
	if err := datasets.WriteRun(opts.Out, run, opts.Tag); err != nil {
		return fmt.Errorf("bm25: %w", err)
	}
	el := time.Since(t1)
	opts.IO.Log.Info("retrieved", zap.Int("queries", len(qs)), zap.Int("depth", opts.Depth), zap.Float64("queries_per_s", float64(len(qs))/el.Seconds()))
	fmt.Fprintf(opts.IO.Out, "wrote %s: top %d of %d documents for %d queries\n", opts.Out, opts.Depth, st.Docs, len(qs))
	return nil
}
