// Package parallel runs the iterations of an index loop on a few goroutines:
// the one worker pool of distill (BM25 batch search, ColBERT and SPLADE
// batch retrieval, the teacher's tokenisation, AdamW's parameter blocks).
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0, n) on workers goroutines (GOMAXPROCS
// when workers ≤ 0, never more than n), handing out indexes in increasing
// order one at a time, so uneven iterations balance themselves. Calls of fn
// run concurrently: fn must only write what belongs to its index. For
// returns when every call handed out has returned. When ctx is cancelled it
// stops handing out indexes and returns ctx.Err(); the indexes not handed
// out are not called.
func For(ctx context.Context, n, workers int, fn func(i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
