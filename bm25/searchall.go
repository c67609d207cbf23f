package bm25

import (
	"context"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/parallel"
)

// SearchAll runs Search(queries[i], k) for every query on workers goroutines
// (GOMAXPROCS when workers ≤ 0) and returns the hits in query order. Each
// query's hits are the same whatever the number of workers. If ctx is
// cancelled, SearchAll stops handing out queries and returns ctx.Err() with
// the hits finished so far (nil for the others).
func (ix *Index) SearchAll(ctx context.Context, queries []string, k, workers int) ([][]datasets.Hit, error) {
	out := make([][]datasets.Hit, len(queries))
	err := parallel.For(ctx, len(queries), workers, func(i int) {
		out[i] = ix.Search(queries[i], k)
	})
	return out, err
}
