package compare

import (
	"context"
	"time"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/metrics"
)

// Retrieval is what Retrieve produced.
type Retrieval struct {
	Run datasets.Run
	// Latency summarises per-query times (ms), stages summed.
	Latency metrics.LatencySummary
	Kind    string
}

// Retrieve runs one checkpoint as a first-stage retriever over the whole
// corpus (or, with ModeRerank, as a reranker of BM25's candidates) and, when
// a teacher is given, reranks each query's top StageDepth with the
// cross-encoder: the multi-stage pipeline as one call. Qrels are not needed.
func Retrieve(ctx context.Context, ck Checkpoint, o Options) (*Retrieval, error) {
	if err := o.retrieveDefaults(); err != nil {
		return nil, err
	}
	d, err := loadData(&o)
	if err != nil {
		return nil, err
	}
	var first datasets.Run
	var firstLat []time.Duration
	if o.Mode == ModeRerank {
		fs, err := firstStage(ctx, &o, d)
		if err != nil {
			return nil, err
		}
		first, firstLat = fs.Run, fs.Latencies
	}
	sys, _, err := studentRow(ctx, &o, d, ck, first)
	if err != nil {
		return nil, err
	}
	res := &Retrieval{Run: sys.Run, Kind: sys.Kind}
	lat := addLatencies(firstLat, sys.Latencies)
	if o.TeacherModel != "" {
		ce, err := newCrossEncoder(&o, d)
		if err != nil {
			return nil, err
		}
		defer ce.Close()
		run, tl, err := ce.rerank(ctx, sys.Run, d.queries, o.StageDepth, "distill-multistage")
		if err != nil {
			return nil, err
		}
		res.Run, lat = run, addLatencies(lat, tl)
		res.Kind += "+teacher"
	}
	ms := make([]float64, len(lat))
	for i, l := range lat {
		ms[i] = float64(l) / float64(time.Millisecond)
	}
	res.Latency = metrics.Summarize(ms)
	return res, nil
}
