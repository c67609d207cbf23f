package compare

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/report"
)

// Run measures BM25 (or the given first stage), the teacher (when given),
// every checkpoint, and every checkpoint followed by the teacher, on the
// test queries, and compares them against the first row.
func Run(ctx context.Context, ckpts []Checkpoint, o Options) (*report.Comparison, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	d, err := loadData(&o)
	if err != nil {
		return nil, err
	}
	o.Log.Info("comparing", zap.Int("test_queries", len(d.queries)), zap.Int("documents", len(d.docs)),
		zap.Int("checkpoints", len(ckpts)), zap.String("mode", o.Mode), zap.Int("held_out_labelled_queries", len(d.heldOut)))
	var systems []report.System
	first, err := firstStage(ctx, &o, d)
	if err != nil {
		return nil, err
	}
	systems = append(systems, first)

	var ce *crossEncoder
	if o.TeacherModel != "" {
		if ce, err = newCrossEncoder(&o, d); err != nil {
			return nil, err
		}
		defer ce.Close()
		run, lat, err := ce.rerank(ctx, first.Run, d.queries, o.Depth, "teacher")
		if err != nil {
			return nil, err
		}
		sys := report.System{Name: fmt.Sprintf("%s → teacher@%d", first.Name, o.Depth), Kind: "teacher",
			Run: run, Depth: o.Depth, Latencies: addLatencies(first.Latencies, lat), CheckpointDir: o.TeacherModel}
		if len(d.heldOut) > 0 {
			if sys.Scores, err = ce.scores(ctx, d); err != nil {
				return nil, err
			}
		}
		systems = append(systems, sys)
		o.Log.Info("measured", zap.String("system", sys.Name))
	}
	add := func(sys report.System) {
		systems = append(systems, sys)
		o.Log.Info("measured", zap.String("system", sys.Name), zap.String("kind", sys.Kind))
	}
	for _, ck := range ckpts {
		retrieve, rerank, err := studentRows(ctx, &o, d, ck, first)
		if err != nil {
			return nil, err
		}
		// The multi-stage pipeline follows the student's own list: its
		// full-corpus retrieval, or its reranking when that is its only row.
		for _, sys := range []*report.System{retrieve, rerank} {
			if sys == nil {
				continue
			}
			add(*sys)
			if ce == nil || sys.Kind == "crossencoder" || sys == rerank && retrieve != nil {
				continue
			}
			run, lat, err := ce.rerank(ctx, sys.Run, d.queries, o.StageDepth, "multi-stage")
			if err != nil {
				return nil, err
			}
			add(report.System{Name: fmt.Sprintf("%s → teacher@%d", sys.Name, o.StageDepth), Kind: sys.Kind + "+teacher",
				Run: run, Depth: o.StageDepth, Latencies: addLatencies(sys.Latencies, lat), IndexBytes: sys.IndexBytes,
				Steps: sys.Steps, LabelsUsed: sys.LabelsUsed, CheckpointDir: sys.CheckpointDir})
		}
	}
	return report.Compare(systems, d.qrels, d.heldOut, o.Report)
}

// addLatencies sums two per-query latency lists (stages of one pipeline).
func addLatencies(a, b []time.Duration) []time.Duration {
	if len(a) == 0 {
		return b
	}
	out := make([]time.Duration, len(b))
	for i := range b {
		out[i] = b[i]
		if i < len(a) {
			out[i] += a[i]
		}
	}
	return out
}
