package bm25

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// SearchAll runs Search(queries[i], k) for every query on workers goroutines
// (GOMAXPROCS when workers ≤ 0) and returns the hits in query order. Each
// query's hits are the same whatever the number of workers. If ctx is
// cancelled, SearchAll stops handing out queries and returns ctx.Err() with
// the hits finished so far (nil for the others).
func (ix *Index) SearchAll(ctx context.Context, queries []string, k, workers int) ([][]Hit, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(queries))
	out := make([][]Hit, len(queries))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(queries) {
					return
				}
				out[i] = ix.Search(queries[i], k)
			}
		})
	}
	wg.Wait()
	return out, ctx.Err()
}
