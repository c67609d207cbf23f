package ranker

import (
	"context"
	"fmt"
	"sort"

	"github.com/distill-ml/distill/datasets"
)

// RerankOptions configures Rerank.
type RerankOptions struct {
	// Depth reranks only the top Depth candidates of each query (0: all).
	Depth int
	// Tag names the run in the output (column 6); default "distill-student".
	Tag string
	// SkipMissing drops candidates whose document is not in docs (counted
	// in the result) instead of failing.
	SkipMissing bool
	// Progress, when set, is called after each query with the pairs done.
	Progress func(pairs int)
}

// RerankResult counts what Rerank did.
type RerankResult struct {
	Run            datasets.Run
	Queries, Pairs int
	SkippedQueries int // queries of the run without text
	SkippedDocs    int // candidates without text (SkipMissing)
}

// Rerank scores each query's candidates with the model and returns them
// ordered by the student's score (descending; ties by document id), ranks
// from 1. texts holds the query and document texts; each query's documents are
// encoded once and scored in one Model.Score call (batched inside the
// model). Queries are processed in sorted id order; ctx cancels between
// queries.
func (r *Ranker) Rerank(ctx context.Context, texts *datasets.Texts, candidates datasets.Run, opts RerankOptions) (*RerankResult, error) {
	tag := opts.Tag
	if tag == "" {
		tag = "distill-student"
	}
	res := &RerankResult{Run: datasets.Run{}}
	qids := make([]string, 0, len(candidates))
	for q := range candidates {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	for _, q := range qids {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		text, ok := texts.Queries[q]
		if !ok {
			if !opts.SkipMissing {
				return res, fmt.Errorf("ranker: rerank: query %q of the candidates has no text", q)
			}
			res.SkippedQueries++
			continue
		}
		cands := candidates[q]
		if opts.Depth > 0 && len(cands) > opts.Depth {
			cands = cands[:opts.Depth]
		}
		var ids, docs []string
		for _, c := range cands {
			d, ok := texts.Docs[c.DocID]
			if !ok {
				if !opts.SkipMissing {
					return res, fmt.Errorf("ranker: rerank: document %q (query %s) has no text", c.DocID, q)
				}
				res.SkippedDocs++
				continue
			}
			ids = append(ids, c.DocID)
			docs = append(docs, d)
		}
		if len(ids) == 0 {
			continue
		}
		entries, err := r.RerankQuery(q, text, ids, docs, tag)
		if err != nil {
			return res, fmt.Errorf("ranker: rerank query %s: %w", q, err)
		}
		res.Run[q] = entries
		res.Queries++
		res.Pairs += len(entries)
		if opts.Progress != nil {
			opts.Progress(res.Pairs)
		}
	}
	return res, nil
}

// RerankQuery scores the documents docIDs, whose texts are docs, against the
// query qid of text query in one Model.Score call and returns them as run
// entries tagged tag, best first (ties by document id).
func (r *Ranker) RerankQuery(qid, query string, docIDs, docs []string, tag string) ([]datasets.RunEntry, error) {
	scores, err := r.Score(query, docs...)
	if err != nil {
		return nil, err
	}
	entries := make([]datasets.RunEntry, len(docIDs))
	for i, id := range docIDs {
		entries[i] = datasets.RunEntry{QueryID: qid, DocID: id, Score: float64(scores[i]), Tag: tag}
	}
	datasets.SortByScore(entries)
	return entries, nil
}
