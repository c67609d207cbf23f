package retrieval

import (
	"context"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/parallel"
)

// SearchBatch runs Search(queries[i], k) for every query on workers
// goroutines (GOMAXPROCS when workers ≤ 0) and returns the hits in query
// order; they are the same whatever the number of workers. If ctx is
// cancelled it stops handing out queries and returns ctx.Err() with the hits
// finished so far (nil for the others).
func (ix *SparseIndex) SearchBatch(ctx context.Context, queries []SparseVector, k, workers int) ([][]datasets.Hit, error) {
	out := make([][]datasets.Hit, len(queries))
	err := parallel.For(ctx, len(queries), workers, func(i int) {
		out[i] = ix.Search(queries[i], k)
	})
	return out, err
}
