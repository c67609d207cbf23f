package compare

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/internal/version"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/report"
	"github.com/distill-ml/distill/student"
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
	o.Log.Info("comparing", zap.Int("test_queries", len(d.queries)), zap.Int("documents", len(d.texts.DocIDs)),
		zap.Int("checkpoints", len(ckpts)), zap.String("mode", o.Mode), zap.Int("held_out_labelled_queries", len(d.heldOut)))
	var systems []report.System
	first, err := firstStage(ctx, &o, d)
	if err != nil {
		return nil, err
	}
	systems = append(systems, first)

	hashed := map[string]string{} // file → sha256, for runProvenance
	var ce *crossEncoder
	if o.TeacherModel != "" {
		if ce, err = newCrossEncoder(&o, d); err != nil {
			return nil, err
		}
		defer ce.Close()
		name := fmt.Sprintf("%s → teacher@%d", first.Name, o.Depth)
		run, lat, err := ce.rerank(ctx, first.Run, d.queries, o.Depth, "teacher", o.bar(name, len(d.queries), "queries"))
		if err != nil {
			return nil, err
		}
		sum, err := fsutil.SHA256File(o.TeacherModel)
		if err != nil {
			return nil, err
		}
		hashed[o.TeacherModel] = sum
		sys := report.System{Name: name, Kind: "teacher", ModelSHA256: sum,
			Run: run, Depth: o.Depth, Latencies: addLatencies(first.Latencies, lat), CheckpointDir: o.TeacherModel}
		if len(d.heldOut) > 0 {
			if sys.Scores, err = ce.scores(ctx, d, o.Console); err != nil {
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
			if ce == nil || sys.Kind == string(student.KindCrossEncoder) || sys == rerank && retrieve != nil {
				continue
			}
			name := fmt.Sprintf("%s → teacher@%d", sys.Name, o.StageDepth)
			run, lat, err := ce.rerank(ctx, sys.Run, d.queries, o.StageDepth, "multi-stage", o.bar(name, len(d.queries), "queries"))
			if err != nil {
				return nil, err
			}
			add(report.System{Name: name, Kind: sys.Kind + "+teacher",
				Run: run, Depth: o.StageDepth, Latencies: addLatencies(sys.Latencies, lat), IndexBytes: sys.IndexBytes,
				Steps: sys.Steps, LabelsUsed: sys.LabelsUsed, CheckpointDir: sys.CheckpointDir, ModelSHA256: sys.ModelSHA256})
		}
	}
	cmp, err := report.Compare(systems, d.qrels, d.heldOut, o.Report)
	if err != nil {
		return nil, err
	}
	if cmp.Run, err = runProvenance(&o, hashed); err != nil {
		return nil, err
	}
	return cmp, nil
}

// runProvenance records distill's version, the date and the sha256 of
// every input file of the comparison (from hashed where already computed:
// the teacher model can be hundreds of MB).
func runProvenance(o *Options, hashed map[string]string) (*report.RunProvenance, error) {
	p := &report.RunProvenance{DistillVersion: version.Version, Created: time.Now().UTC().Format(time.RFC3339)}
	for _, in := range []struct{ role, path string }{
		{"queries", o.Queries}, {"corpus", o.Corpus}, {"qrels", o.Qrels}, {"candidates", o.Candidates},
		{"labels", o.Labels}, {"teacher", o.TeacherModel}, {"teacher tokenizer", o.TeacherTokenizer},
	} {
		if in.path == "" {
			continue
		}
		file := in.path
		if in.role == "labels" {
			file = filepath.Join(in.path, labels.ManifestName) // the manifest holds every part's sha256
		}
		sum, ok := hashed[file]
		if !ok {
			var err error
			if sum, err = fsutil.SHA256File(file); err != nil {
				return nil, fmt.Errorf("compare: provenance: %w", err)
			}
		}
		p.Inputs = append(p.Inputs, report.Input{Role: in.role, Path: in.path, SHA256: sum})
	}
	return p, nil
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
