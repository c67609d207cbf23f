package compare

import (
	"context"
	"fmt"
	"time"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/metrics"
	"github.com/distill-ml/distill/report"
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
	if o.Mode == ModeBoth {
		return nil, fmt.Errorf("compare: retrieve writes one run: mode %s or %s, not %s", ModeRetrieve, ModeRerank, ModeBoth)
	}
	if err := o.retrieveDefaults(); err != nil {
		return nil, err
	}
	d, err := loadData(&o)
	if err != nil {
		return nil, err
	}
	var fs report.System
	if o.Mode == ModeRerank {
		if fs, err = firstStage(ctx, &o, d); err != nil {
			return nil, err
		}
	}
	retrieved, reranked, err := studentRows(ctx, &o, d, ck, fs)
	if err != nil {
		return nil, err
	}
	sys := retrieved
	if sys == nil {
		sys = reranked
	}
	res := &Retrieval{Run: sys.Run, Kind: sys.Kind}
	lat := sys.Latencies
	if o.TeacherModel != "" {
		ce, err := newCrossEncoder(&o, d)
		if err != nil {
			return nil, err
		}
		defer ce.Close()
		run, tl, err := ce.rerank(ctx, sys.Run, d.queries, o.StageDepth, "distill-multistage", o.bar("teacher reranking", len(d.queries), "queries"))
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
