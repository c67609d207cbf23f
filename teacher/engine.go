package teacher

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/parallel"
	"github.com/distill-ml/distill/tokenizer"
)

// Tokenizer is what the teacher needs of a tokenizer: the token ids of a
// text without special tokens, and the model input for a pair of them
// ("[CLS] a [SEP] b [SEP]" for BERT, "<s> a </s></s> b </s>" for RoBERTa and
// XLM-R; longest-first truncated to maxLen).
type Tokenizer interface {
	Tokenize(text string) []int32
	BuildPair(a, b []int32, maxLen int) (ids, typeIDs []int32)
}

// Group is one query and the candidates to score for it.
type Group struct {
	QueryID string
	DocIDs  []string
}

// Chunk is a unit of work written (or returned) as a whole: a few groups.
type Chunk struct {
	Index  int
	Groups []Group
	// Scores[g][d] is the score of Groups[g].DocIDs[d], filled by Run.
	Scores  [][]float32
	pending atomic.Int64
}

// Pairs returns the number of pairs in the chunk.
func (c *Chunk) Pairs() int {
	n := 0
	for _, g := range c.Groups {
		n += len(g.DocIDs)
	}
	return n
}

// Engine scores chunks of pairs with a Scorer: tokenisation, length-sorted
// batching with dynamic padding, and concurrent scoring, overlapped.
type Engine struct {
	Scorer    Scorer
	Tokenizer Tokenizer
	MaxLength int
	BatchSize int
	// Workers is the number of batches scored at once (one per ONNX session).
	Workers int
	// NoSort keeps pairs in input order instead of sorting them by length
	// (for measuring what sorting saves).
	NoSort bool
	// Progress, when set, is told of every scored batch.
	Progress *Progress
}

// Stats counts what a run did.
type Stats struct {
	Pairs, Batches     int
	Tokens, PaddedSlot int64 // real tokens, and token slots including padding
	Elapsed            time.Duration
	ScoreTime          time.Duration // summed over workers
	// Starved is the time workers spent waiting for a batch while the
	// producer was still tokenising (summed over workers): the pipeline's
	// claim that the model never waits for text, measured.
	Starved time.Duration
}

// PaddingWaste is the share of token slots that were padding.
func (s Stats) PaddingWaste() float64 {
	if s.PaddedSlot == 0 {
		return 0
	}
	return 1 - float64(s.Tokens)/float64(s.PaddedSlot)
}

// PairsPerSecond is the throughput of the run.
func (s Stats) PairsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Pairs) / s.Elapsed.Seconds()
}

type work struct {
	chunk *Chunk
	batch *tokenizer.Batch
	where [][2]int32 // (group, doc) of each batch row
}

// Run scores every chunk, calling done with each completed chunk (from one
// goroutine, in completion order). It stops at the first error or when ctx is
// cancelled; chunks already passed to done stay done.
func (e *Engine) Run(ctx context.Context, chunks []*Chunk, texts *datasets.Texts, done func(*Chunk) error) (Stats, error) {
	start := time.Now()
	var st Stats
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	works := make(chan work, 4*max(e.Workers, 1))
	finished := make(chan *Chunk, len(chunks))

	var producerDone atomic.Bool
	g.Go(func() error {
		defer producerDone.Store(true)
		defer close(works)
		for _, c := range chunks {
			if err := e.produce(ctx, c, texts, works); err != nil {
				return err
			}
		}
		return nil
	})
	var wg sync.WaitGroup
	for w := 0; w < max(e.Workers, 1); w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for {
				t0 := time.Now()
				wk, ok := <-works
				if !ok {
					return nil
				}
				if waited := time.Since(t0); !producerDone.Load() {
					mu.Lock()
					st.Starved += waited
					mu.Unlock()
				}
				if wk.where == nil { // an empty chunk
					finished <- wk.chunk
					continue
				}
				t1 := time.Now()
				scores, err := e.Scorer.Score(wk.batch)
				if err != nil {
					return err
				}
				if len(scores) != wk.batch.Size {
					return fmt.Errorf("teacher: scorer returned %d scores for %d pairs", len(scores), wk.batch.Size)
				}
				for i, at := range wk.where {
					wk.chunk.Scores[at[0]][at[1]] = scores[i]
				}
				mu.Lock()
				st.Batches++
				st.Pairs += wk.batch.Size
				st.Tokens += int64(wk.batch.Tokens)
				st.PaddedSlot += int64(wk.batch.Size * wk.batch.Len)
				st.ScoreTime += time.Since(t1)
				mu.Unlock()
				if e.Progress != nil {
					e.Progress.Add(wk.batch.Size)
				}
				if wk.chunk.pending.Add(-int64(wk.batch.Size)) == 0 {
					finished <- wk.chunk
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
		})
	}
	go func() { wg.Wait(); close(finished) }()
	g.Go(func() error {
		for c := range finished {
			if err := done(c); err != nil {
				return err
			}
		}
		return nil
	})
	err := g.Wait()
	st.Elapsed = time.Since(start)
	return st, err
}

// produce tokenises one chunk, sorts its pairs by length and sends batches.
func (e *Engine) produce(ctx context.Context, c *Chunk, texts *datasets.Texts, out chan<- work) error {
	c.Scores = make([][]float32, len(c.Groups))
	var where [][2]int32
	for gi, grp := range c.Groups {
		c.Scores[gi] = make([]float32, len(grp.DocIDs))
		for di := range grp.DocIDs {
			where = append(where, [2]int32{int32(gi), int32(di)})
		}
	}
	if len(where) == 0 {
		out <- work{chunk: c, batch: &tokenizer.Batch{}, where: nil} // completes the empty chunk
		return nil
	}
	c.pending.Store(int64(len(where)))
	encs, err := e.tokenizeChunk(c, texts)
	if err != nil {
		return err
	}
	order := make([]int, len(encs))
	for i := range order {
		order[i] = i
	}
	if !e.NoSort {
		sort.SliceStable(order, func(a, b int) bool { return len(encs[order[a]].ids) < len(encs[order[b]].ids) })
	}
	bs := max(e.BatchSize, 1)
	for s := 0; s < len(order); s += bs {
		idx := order[s:min(s+bs, len(order))]
		be := make([]pairEncoding, len(idx))
		bw := make([][2]int32, len(idx))
		for k, i := range idx {
			be[k] = encs[i]
			bw[k] = where[i]
		}
		select {
		case out <- work{chunk: c, batch: makeBatch(be, e.padID()), where: bw}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// padID is the id batches are padded with: the tokenizer's pad token when it
// says (1 for RoBERTa and XLM-R, whose position ids depend on it), else 0.
func (e *Engine) padID() int32 {
	if p, ok := e.Tokenizer.(interface{ PadID() int32 }); ok {
		return p.PadID()
	}
	return 0
}

// tokenizeChunk tokenises each distinct text of the chunk once, in parallel,
// and assembles the pairs in (group, doc) order.
func (e *Engine) tokenizeChunk(c *Chunk, texts *datasets.Texts) ([]pairEncoding, error) {
	qTok := make(map[string][]int32, len(c.Groups))
	dTok := make(map[string][]int32)
	var qs, ds []string
	for _, g := range c.Groups {
		if _, ok := qTok[g.QueryID]; !ok {
			qTok[g.QueryID] = nil
			qs = append(qs, g.QueryID)
		}
		for _, d := range g.DocIDs {
			if _, ok := dTok[d]; !ok {
				dTok[d] = nil
				ds = append(ds, d)
			}
		}
	}
	for _, q := range qs {
		if _, ok := texts.Queries[q]; !ok {
			return nil, fmt.Errorf("teacher: no text for query %s", q)
		}
	}
	for _, d := range ds {
		if _, ok := texts.Docs[d]; !ok {
			return nil, fmt.Errorf("teacher: no text for document %s", d)
		}
	}
	qIDs := parallelTokenize(e.Tokenizer, qs, texts.Queries)
	dIDs := parallelTokenize(e.Tokenizer, ds, texts.Docs)
	for i, q := range qs {
		qTok[q] = qIDs[i]
	}
	for i, d := range ds {
		dTok[d] = dIDs[i]
	}
	var encs []pairEncoding
	for _, g := range c.Groups {
		for _, d := range g.DocIDs {
			ids, types := e.Tokenizer.BuildPair(qTok[g.QueryID], dTok[d], e.MaxLength)
			encs = append(encs, pairEncoding{ids: ids, types: types})
		}
	}
	return encs, nil
}

func parallelTokenize(tok Tokenizer, ids []string, texts map[string]string) [][]int32 {
	out := make([][]int32, len(ids))
	workers := min(runtime.GOMAXPROCS(0), max(len(ids)/64, 1))
	parallel.For(context.Background(), len(ids), workers, func(i int) {
		out[i] = tok.Tokenize(texts[ids[i]])
	})
	return out
}
