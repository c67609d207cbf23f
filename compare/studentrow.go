package compare

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/report"
	"github.com/distill-ml/distill/retrieval"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/training"
)

// encodeBatch is the number of documents encoded per call when indexing.
const encodeBatch = 64

// Checkpoint names a checkpoint to compare: "name=path" or a path (the name
// is then the run folder's name).
type Checkpoint struct{ Name, Path string }

// ParseCheckpoint parses a command-line checkpoint argument.
func ParseCheckpoint(arg string) Checkpoint {
	if name, path, ok := strings.Cut(arg, "="); ok && name != "" && path != "" {
		return Checkpoint{Name: name, Path: path}
	}
	p := filepath.Clean(arg)
	name := filepath.Base(p)
	if name == "best" || strings.HasPrefix(name, "step-") || name == "last" {
		name = filepath.Base(filepath.Dir(p)) + "/" + name
	}
	return Checkpoint{Name: name, Path: arg}
}

// studentRow measures one checkpoint: its run over the test queries (as a
// full-corpus retriever or as a reranker of first), per-query latency, index
// size and sparsity, and its scores of the held-out candidates.
func studentRow(ctx context.Context, o *Options, d *testData, ck Checkpoint, first datasets.Run) (report.System, *training.Student, error) {
	s, err := training.LoadStudent(ck.Path)
	if err != nil {
		return report.System{}, nil, err
	}
	kind := s.Model.Config().Kind
	sys := report.System{Name: ck.Name, Kind: kind, CheckpointDir: s.Checkpoint.Dir, Steps: s.Checkpoint.Trainer.Step,
		LabelsUsed: labelsUsed(s)}
	if log := filepath.Join(filepath.Dir(s.Checkpoint.Dir), training.MetricsFile); fileExists(log) {
		sys.MetricsLog = log
	}
	switch {
	case o.Mode == ModeRerank || kind == "crossencoder":
		sys.Run, sys.Latencies, err = rerankTimed(ctx, s, d, first, o.Depth)
	case kind == "colbert":
		err = colbertRetrieve(ctx, o, d, s, &sys)
	case kind == "splade":
		err = spladeRetrieve(ctx, o, d, s, &sys)
	default:
		err = fmt.Errorf("compare: %s: cannot retrieve with a %s model", ck.Path, kind)
	}
	if err != nil {
		return sys, nil, fmt.Errorf("compare: %s: %w", ck.Name, err)
	}
	if len(d.heldOut) > 0 {
		sys.Scores = map[string]map[string]float32{}
		for _, r := range d.heldOut {
			docs := make([]string, len(r.DocumentIDs))
			for i, id := range r.DocumentIDs {
				docs[i] = d.dtext[id]
			}
			sc, err := s.Score(d.qtext[r.QueryID], docs...)
			if err != nil {
				return sys, nil, err
			}
			m := make(map[string]float32, len(sc))
			for i, id := range r.DocumentIDs {
				m[id] = sc[i]
			}
			sys.Scores[r.QueryID] = m
		}
	}
	return sys, s, nil
}

func labelsUsed(s *training.Student) string {
	if s.Config.Labels == "" {
		return ""
	}
	return s.Config.Labels
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// rerankTimed reranks each query's top depth first-stage candidates,
// timing each query (query and document encoding included).
func rerankTimed(ctx context.Context, s *training.Student, d *testData, first datasets.Run, depth int) (datasets.Run, []time.Duration, error) {
	run := datasets.Run{}
	var lat []time.Duration
	for _, q := range d.queries {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		entries := first[q.ID]
		if len(entries) > depth {
			entries = entries[:depth]
		}
		t0 := time.Now()
		docs := make([]string, len(entries))
		for i, e := range entries {
			docs[i] = d.dtext[e.DocID]
		}
		var out []datasets.RunEntry
		if len(docs) > 0 {
			sc, err := s.Score(q.Text, docs...)
			if err != nil {
				return nil, nil, err
			}
			out = make([]datasets.RunEntry, len(entries))
			for i, e := range entries {
				out[i] = datasets.RunEntry{QueryID: q.ID, DocID: e.DocID, Score: float64(sc[i]), Tag: "student"}
			}
			training.SortRun(out)
		}
		lat = append(lat, time.Since(t0))
		run[q.ID] = out
	}
	return run, lat, nil
}

// indexKey identifies a checkpoint's weights, for index caches.
func indexKey(s *training.Student) (string, error) {
	return fsutil.SHA256File(filepath.Join(s.Checkpoint.Dir, checkpoints.ModelFile))
}

func cacheDir(o *Options, key, kind string) string {
	if o.CacheDir == "" {
		return ""
	}
	return filepath.Join(o.CacheDir, kind+"-"+key[:16])
}

func colbertRetrieve(ctx context.Context, o *Options, d *testData, s *training.Student, sys *report.System) error {
	cb := s.Model.(*student.ColBERT)
	key, err := indexKey(s)
	if err != nil {
		return err
	}
	build := func(add func(retrieval.TokenEmbeddings) error) error {
		for lo := 0; lo < len(d.docs); lo += encodeBatch {
			batch := d.docs[lo:min(lo+encodeBatch, len(d.docs))]
			seqs := make([][]int, len(batch))
			for i, doc := range batch {
				seqs[i] = s.Encoder.Doc(doc.FullText())
			}
			embs, err := cb.EncodeDocs(seqs)
			if err != nil {
				return err
			}
			for i, e := range embs {
				te := retrieval.TokenEmbeddings{DocID: batch[i].ID, Dim: cb.Config().ColBERT.Dim}
				for _, v := range e {
					te.Vectors = append(te.Vectors, v...)
				}
				if err := add(te); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var store *retrieval.EmbeddingStore
	if dir := cacheDir(o, key, "colbert"); dir != "" {
		store, err = retrieval.LoadOrBuild(dir, key, build)
	} else {
		store, err = retrieval.BuildEmbeddingStore(key, build)
	}
	if err != nil {
		return err
	}
	sys.IndexBytes = store.Bytes()
	sys.Run = datasets.Run{}
	for _, q := range d.queries {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		qe, err := cb.EncodeQueries([][]int{s.Encoder.Query(q.Text)})
		if err != nil {
			return err
		}
		var flat []float32
		for _, v := range qe[0] {
			flat = append(flat, v...)
		}
		hits, err := store.MaxSimSearch(flat, o.Depth)
		if err != nil {
			return err
		}
		sys.Latencies = append(sys.Latencies, time.Since(t0))
		r, err := retrieval.ToRun([]string{q.ID}, [][]retrieval.Hit{hits}, "colbert")
		if err != nil {
			return err
		}
		sys.Run[q.ID] = r[q.ID]
	}
	return nil
}

func toSparse(v student.SparseVector) retrieval.SparseVector {
	out := retrieval.SparseVector{Terms: make([]int32, len(v.Index)), Weights: append([]float32(nil), v.Value...)}
	for i, t := range v.Index {
		out.Terms[i] = int32(t)
	}
	return out
}

func spladeRetrieve(ctx context.Context, o *Options, d *testData, s *training.Student, sys *report.System) error {
	sp := s.Model.(*student.SPLADE)
	key, err := indexKey(s)
	if err != nil {
		return err
	}
	vocab := sp.Config().SPLADE.Encoder.VocabSize
	build := func(add func(string, retrieval.SparseVector) error) error {
		for lo := 0; lo < len(d.docs); lo += encodeBatch {
			batch := d.docs[lo:min(lo+encodeBatch, len(d.docs))]
			seqs := make([][]int, len(batch))
			for i, doc := range batch {
				seqs[i] = s.Encoder.Doc(doc.FullText())
			}
			vs, err := sp.EncodeDocs(seqs)
			if err != nil {
				return err
			}
			for i, v := range vs {
				if err := add(batch[i].ID, toSparse(v)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var ix *retrieval.SparseIndex
	if dir := cacheDir(o, key, "splade"); dir != "" {
		ix, err = retrieval.LoadOrBuildSparseIndex(dir, key, vocab, build)
	} else {
		b := retrieval.NewSparseIndexBuilder(vocab)
		if err = build(b.Add); err == nil {
			ix = b.Build()
		}
	}
	if err != nil {
		return err
	}
	st := ix.Stats()
	sys.IndexBytes = st.Bytes
	sys.AvgNonZeros = new(st.AvgNonZeros)
	sys.Run = datasets.Run{}
	var qvs []retrieval.SparseVector
	for _, q := range d.queries {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		vs, err := sp.EncodeQueries([][]int{s.Encoder.Query(q.Text)})
		if err != nil {
			return err
		}
		qv := toSparse(vs[0])
		hits := ix.Search(qv, o.Depth)
		sys.Latencies = append(sys.Latencies, time.Since(t0))
		qvs = append(qvs, qv)
		r, err := retrieval.ToRun([]string{q.ID}, [][]retrieval.Hit{hits}, "splade")
		if err != nil {
			return err
		}
		sys.Run[q.ID] = r[q.ID]
	}
	sys.FLOPS = new(ix.FLOPS(qvs))
	return nil
}
