package retrieval

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// forEachParallel calls fn(i) for every i in [0, n) on workers goroutines
// (GOMAXPROCS when workers ≤ 0), handing out indexes in order. It stops
// handing out work when ctx is cancelled and then returns ctx.Err().
func forEachParallel(ctx context.Context, n, workers int, fn func(i int)) error {
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
