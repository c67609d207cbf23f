package retrieval

import (
	"context"
	"fmt"
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/parallel"
	"github.com/distill-ml/distill/internal/topk"
)

// MaxSimSearch returns the k documents with the highest late-interaction
// score, best first, ties broken by document id ascending:
//
//	score(q, d) = Σ_i max_j q_i · d_j
//
// query holds the query's token vectors row by row (n×Dim). Every document
// is scored exactly, in blocks of consecutive documents: one Sgemm gives the
// n×T similarity matrix of the query against the block's T token vectors,
// then each document takes, per query token, the maximum over its columns.
// Blocks are scored in parallel on GOMAXPROCS goroutines; a document's score
// does not depend on the number of goroutines. Documents without token
// vectors are never returned.
func (s *EmbeddingStore) MaxSimSearch(query []float32, k int) ([]datasets.Hit, error) {
	if err := s.checkQuery(query); err != nil {
		return nil, err
	}
	return s.maxSim(query, k, runtime.GOMAXPROCS(0)), nil
}

// MaxSimSearchBatch runs MaxSimSearch for every query on workers goroutines
// (GOMAXPROCS when workers ≤ 0), one query per goroutine at a time, and
// returns the hits in query order. An invalid query is an error before any
// search starts. If ctx is cancelled it stops handing out queries and
// returns ctx.Err() with the hits finished so far (nil for the others).
func (s *EmbeddingStore) MaxSimSearchBatch(ctx context.Context, queries [][]float32, k, workers int) ([][]datasets.Hit, error) {
	for i, q := range queries {
		if err := s.checkQuery(q); err != nil {
			return nil, fmt.Errorf("query %d: %w", i, err)
		}
	}
	out := make([][]datasets.Hit, len(queries))
	err := parallel.For(ctx, len(queries), workers, func(i int) {
		out[i] = s.maxSim(queries[i], k, 1)
	})
	return out, err
}

// checkQuery checks that query is a non-empty matrix of the store's dim.
func (s *EmbeddingStore) checkQuery(query []float32) error {
	if s.dim == 0 {
		return nil // empty store: nothing to match
	}
	if len(query) == 0 {
		return &InputError{Field: "vectors", Index: -1, Reason: "no query token vectors"}
	}
	return validateMatrix("", query, s.dim)
}

// maxSim scores every block on workers goroutines, each keeping its own
// top k, and merges them.
func (s *EmbeddingStore) maxSim(query []float32, k, workers int) []datasets.Hit {
	if k <= 0 || s.dim == 0 {
		return nil
	}
	workers = max(1, min(workers, len(s.blocks)))
	tops := make([]*topk.Heap[candidate], workers)
	for w := range tops {
		tops[w] = topk.New(k, before)
	}
	if workers == 1 {
		for _, b := range s.blocks {
			s.scoreBlock(query, b, tops[0])
		}
		return hitsOf(tops[0], s.ids)
	}
	next := make(chan int, len(s.blocks))
	for b := range s.blocks {
		next <- b
	}
	close(next)
	done := make(chan struct{}, workers)
	for w := range workers {
		go func(top *topk.Heap[candidate]) {
			for b := range next {
				s.scoreBlock(query, s.blocks[b], top)
			}
			done <- struct{}{}
		}(tops[w])
	}
	for range workers {
		<-done
	}
	for w := 1; w < workers; w++ {
		tops[0].Merge(tops[w])
	}
	return hitsOf(tops[0], s.ids)
}

// sgemmPanel is the widest similarity panel gonum's Sgemm computes without
// spawning goroutines (fewer than 4 blocks of 64×64) for a query of up to 64
// tokens; longer queries use panels of 64 columns, serial up to 192 tokens.
// Parallelism comes from scoring blocks concurrently, and the panel layout
// depends only on the store and the query length, so a document's score
// does not depend on the number of workers.
const sgemmPanel = 192

// scoreBlock offers every non-empty document of b to top.
func (s *EmbeddingStore) scoreBlock(query []float32, b docBlock, top *topk.Heap[candidate]) {
	if b.tokens == 0 {
		return
	}
	nq, t := len(query)/s.dim, b.tokens
	bufp := s.sims.Get().(*[]float32)
	defer s.sims.Put(bufp)
	if cap(*bufp) < nq*t {
		*bufp = make([]float32, nq*t)
	}
	sim := (*bufp)[:nq*t]
	lo := s.offsets[b.first]
	docs := s.vecs[lo*int64(s.dim) : s.offsets[b.end]*int64(s.dim)]
	// sim (nq×t) = query (nq×dim) · docsᵀ (dim×t), in column panels narrow
	// enough that Sgemm runs serially: the goroutines are ours.
	impl := blas32.Implementation()
	panel := sgemmPanel
	if nq > 64 {
		panel = 64
	}
	for c := 0; c < t; c += panel {
		w := min(panel, t-c)
		impl.Sgemm(blas.NoTrans, blas.Trans, nq, w, s.dim, 1, query, s.dim, docs[c*s.dim:], s.dim, 0, sim[c:], t)
	}
	for d := b.first; d < b.end; d++ {
		c0, c1 := int(s.offsets[d]-lo), int(s.offsets[d+1]-lo)
		if c0 == c1 {
			continue
		}
		top.Offer(candidate{doc: d, tie: s.rank[d], score: maxSimOf(sim, t, c0, c1, nq)})
	}
}

// maxSimOf is the MaxSim score of the document whose token columns are
// [c0, c1) (c0 < c1) of the similarity matrix sim, nq rows of stride t: the
// sum over rows of each row's maximum. Search and rerank share it, so a
// candidate's reranked score is the one the full search gives it.
func maxSimOf(sim []float32, t, c0, c1, nq int) float32 {
	var score float32
	for i := range nq {
		row := sim[i*t+c0 : i*t+c1]
		best := row[0]
		for _, v := range row[1:] {
			if v > best {
				best = v
			}
		}
		score += best
	}
	return score
}
