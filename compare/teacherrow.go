package compare

import (
	"context"
	"time"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/progress"
	"github.com/distill-ml/distill/teacher"
)

// crossEncoder reranks single queries with the ONNX teacher, timing each.
type crossEncoder struct {
	eng   *teacher.Engine
	sc    *teacher.ONNXScorer
	texts *datasets.Texts
}

func newCrossEncoder(o *Options, d *testData) (*crossEncoder, error) {
	tok, sc, warning, err := teacher.Load(o.TeacherModel, o.TeacherTokenizer, teacher.ONNXOptions{LibraryPath: o.ORTLib, Threads: o.Threads})
	if err != nil {
		return nil, err
	}
	if warning != "" {
		o.Log.Warn(warning)
	}
	return &crossEncoder{
		eng:   &teacher.Engine{Scorer: sc, Tokenizer: tok, MaxLength: o.MaxLength, BatchSize: 32, Workers: 1},
		sc:    sc,
		texts: d.texts,
	}, nil
}

// rerank scores the top depth candidates of each query of run, one query at
// a time, and returns the reranked run and each query's time.
func (c *crossEncoder) rerank(ctx context.Context, run datasets.Run, queries []datasets.Query, depth int, tag string, bar *progress.Bar) (datasets.Run, []time.Duration, error) {
	defer bar.Done()
	out := datasets.Run{}
	var lat []time.Duration
	for _, q := range queries {
		entries := run[q.ID]
		if len(entries) > depth {
			entries = entries[:depth]
		}
		g := teacher.Group{QueryID: q.ID}
		for _, e := range entries {
			g.DocIDs = append(g.DocIDs, e.DocID)
		}
		t0 := time.Now()
		if len(g.DocIDs) > 0 {
			r, _, err := teacher.Rerank(ctx, c.eng, &teacher.Inputs{Groups: []teacher.Group{g}, Texts: c.texts}, tag)
			if err != nil {
				return nil, nil, err
			}
			out[q.ID] = r[q.ID]
		}
		lat = append(lat, time.Since(t0))
		bar.Add(1)
	}
	return out, lat, nil
}

// scores returns the teacher's scores of the held-out candidates.
func (c *crossEncoder) scores(ctx context.Context, d *testData, console *progress.Console) (map[string]map[string]float32, error) {
	var groups []teacher.Group
	pairs := 0
	for _, r := range d.heldOut {
		groups = append(groups, teacher.Group{QueryID: r.QueryID, DocIDs: r.DocumentIDs})
		pairs += len(r.DocumentIDs)
	}
	c.eng.Progress = &teacher.Progress{Console: console, Stage: "teacher: held-out labels", Total: int64(pairs)}
	c.eng.Progress.Start()
	run, _, err := teacher.Rerank(ctx, c.eng, &teacher.Inputs{Groups: groups, Texts: c.texts}, "teacher")
	c.eng.Progress.Stop()
	c.eng.Progress = nil
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]float32{}
	for q, entries := range run {
		m := map[string]float32{}
		for _, e := range entries {
			m[e.DocID] = float32(e.Score)
		}
		out[q] = m
	}
	return out, nil
}

func (c *crossEncoder) Close() error { return c.sc.Close() }
