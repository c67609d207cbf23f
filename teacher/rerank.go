package teacher

import (
	"context"

	"github.com/distill-ml/distill/datasets"
)

// Rerank scores every group with the engine and returns a run ordered by the
// teacher's score (descending; ties by document id), ranks from 1: the
// cross-encoder as a stage-2 reranker.
func Rerank(ctx context.Context, eng *Engine, in *Inputs, tag string) (datasets.Run, Stats, error) {
	chunks := PlanChunks(in.Groups, 4096)
	run := datasets.Run{}
	st, err := eng.Run(ctx, chunks, in.Texts, func(c *Chunk) error {
		for gi, g := range c.Groups {
			entries := make([]datasets.RunEntry, len(g.DocIDs))
			for di, d := range g.DocIDs {
				entries[di] = datasets.RunEntry{QueryID: g.QueryID, DocID: d, Score: float64(c.Scores[gi][di]), Tag: tag}
			}
			datasets.SortByScore(entries)
			run[g.QueryID] = entries
		}
		return nil
	})
	return run, st, err
}
