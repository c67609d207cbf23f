package compare

import (
	"context"
	"time"

	"github.com/distill-ml/distill/bm25"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/report"
)

// firstStage builds the BM25 row (or reads the given candidates run).
func firstStage(ctx context.Context, o *Options, d *testData) (report.System, error) {
	if o.Candidates != "" {
		run, err := datasets.ReadRun(o.Candidates)
		if err != nil {
			return report.System{}, err
		}
		kept := datasets.Run{}
		for _, q := range d.queries {
			if e, ok := run[q.ID]; ok {
				kept[q.ID] = e
			}
		}
		return report.System{Name: "first stage", Kind: "run", Run: datasets.TopK(kept, o.Depth)}, nil
	}
	ix, err := bm25.NewIndex(bm25.DefaultParams())
	if err != nil {
		return report.System{}, err
	}
	bar := o.bar("BM25 indexing", len(d.texts.DocIDs), "documents")
	for _, id := range d.texts.DocIDs {
		if err := ix.Add(id, d.texts.Docs[id]); err != nil {
			return report.System{}, err
		}
		bar.Add(1)
	}
	bar.Done()
	sys := report.System{Name: "BM25", Kind: "bm25", Run: datasets.Run{}}
	for _, q := range d.queries {
		if err := ctx.Err(); err != nil {
			return sys, err
		}
		t0 := time.Now()
		hits := ix.Search(q.Text, o.Depth)
		sys.Latencies = append(sys.Latencies, time.Since(t0))
		sys.Run[q.ID] = datasets.HitEntries(q.ID, hits, "bm25")
	}
	if len(d.heldOut) > 0 {
		sys.Scores = map[string]map[string]float32{}
		for _, r := range d.heldOut {
			m := map[string]float32{}
			for _, id := range r.DocumentIDs {
				s, err := ix.Score(d.texts.Queries[r.QueryID], id)
				if err != nil {
					return sys, err
				}
				m[id] = float32(s)
			}
			sys.Scores[r.QueryID] = m
		}
	}
	return sys, nil
}
