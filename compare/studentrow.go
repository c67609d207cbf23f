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
	"github.com/distill-ml/distill/internal/progress"
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/report"
	"github.com/distill-ml/distill/retrieval"
	"github.com/distill-ml/distill/student"
)

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

// studentRows measures one checkpoint on the test queries: per o.Mode, as a
// retriever over the whole corpus (the row named ck.Name, its top
// RetrieveDepth) and as a reranker of the first stage's top Depth (the row
// "BM25 → NAME@Depth", the same candidates the teacher reranks), both from
// the same index of the corpus. A cross-encoder checkpoint only reranks.
// Each row has per-query latency (query encoding included, the first
// stage's added to a reranker's), index size and sparsity, and the model's
// scores of the held-out candidates.
//
// It returns the retrieval row and the reranking row, nil when not measured.
func studentRows(ctx context.Context, o *Options, d *testData, ck Checkpoint, first report.System) (retrieveRow, rerankRow *report.System, err error) {
	s, err := ranker.Load(ck.Path)
	if err != nil {
		return nil, nil, err
	}
	kind := s.Kind()
	base := report.System{Name: ck.Name, Kind: string(kind), CheckpointDir: s.Checkpoint.Dir, Steps: s.Checkpoint.Trainer.Step,
		LabelsUsed: s.Labels}
	if base.ModelSHA256, err = s.ModelSHA256(); err != nil {
		return nil, nil, err
	}
	if log := filepath.Join(filepath.Dir(s.Checkpoint.Dir), checkpoints.MetricsFile); fileExists(log) {
		base.MetricsLog = log
	}
	if base.Scores, err = heldOutScores(d, s, o.bar(ck.Name+": held-out labels", len(d.heldOut), "queries")); err != nil {
		return nil, nil, fmt.Errorf("compare: %s: %w", ck.Name, err)
	}
	retrieve, rerank := base, base
	rerank.Name = fmt.Sprintf("%s → %s@%d", first.Name, ck.Name, o.Depth)
	rerank.Depth = o.Depth
	if o.Mode == ModeBoth {
		rerank.MetricsLog = "" // one training curve per checkpoint, under its retrieval row's name
	}
	retrieve.Depth = o.RetrieveDepth
	if kind == student.KindCrossEncoder {
		rerank.Run, rerank.Latencies, err = rerankTimed(ctx, s, d, first.Run, o.Depth, o.bar(rerank.Name, len(d.queries), "queries"))
		if err != nil {
			return nil, nil, fmt.Errorf("compare: %s: %w", ck.Name, err)
		}
		rerank.Latencies = addLatencies(first.Latencies, rerank.Latencies)
		return nil, &rerank, nil
	}
	var bar *progress.Bar // started when the corpus is encoded, not when a cached index loads
	encoded := func(n int) {
		if bar == nil {
			bar = o.bar("encoding the corpus ("+ck.Name+")", len(d.texts.DocIDs), "documents")
		}
		bar.Add(int64(n))
	}
	ix, err := s.BuildIndex(d.texts.DocIDs, d.texts.Docs, ranker.IndexOptions{CacheDir: o.CacheDir, Progress: encoded})
	bar.Done()
	if err != nil {
		return nil, nil, fmt.Errorf("compare: %s: %w", ck.Name, err)
	}
	var avgNonZeros *float64
	if nz, _, ok := ix.Sparsity(); ok {
		avgNonZeros = &nz
	}
	if o.Mode != ModeRerank {
		retrieve.IndexBytes, retrieve.AvgNonZeros = ix.Bytes(), avgNonZeros
		search := func(q datasets.Query) ([]datasets.Hit, error) { return ix.Search(q.Text, o.RetrieveDepth) }
		if retrieve.Run, retrieve.Latencies, err = timedRun(ctx, d.queries, string(kind), search, o.bar(retrieve.Name, len(d.queries), "queries")); err != nil {
			return nil, nil, fmt.Errorf("compare: %s: %w", retrieve.Name, err)
		}
		if _, flops, ok := ix.Sparsity(); ok {
			retrieve.FLOPS = &flops
		}
		retrieveRow = &retrieve
	}
	if o.Mode != ModeRetrieve {
		rerank.IndexBytes, rerank.AvgNonZeros = ix.Bytes(), avgNonZeros
		candidates := func(q datasets.Query) ([]datasets.Hit, error) {
			entries := first.Run[q.ID]
			entries = entries[:min(len(entries), o.Depth)]
			ids := make([]string, len(entries))
			for i, e := range entries {
				ids[i] = e.DocID
			}
			return ix.Rerank(q.Text, ids)
		}
		if rerank.Run, rerank.Latencies, err = timedRun(ctx, d.queries, string(kind), candidates, o.bar(rerank.Name, len(d.queries), "queries")); err != nil {
			return nil, nil, fmt.Errorf("compare: %s: %w", rerank.Name, err)
		}
		rerank.Latencies = addLatencies(first.Latencies, rerank.Latencies)
		rerankRow = &rerank
	}
	return retrieveRow, rerankRow, nil
}

// heldOutScores returns the model's scores of the held-out labelled
// candidates (nil without labels).
func heldOutScores(d *testData, s *ranker.Ranker, bar *progress.Bar) (map[string]map[string]float32, error) {
	defer bar.Done()
	if len(d.heldOut) == 0 {
		return nil, nil
	}
	out := map[string]map[string]float32{}
	for _, r := range d.heldOut {
		docs := make([]string, len(r.DocumentIDs))
		for i, id := range r.DocumentIDs {
			docs[i] = d.texts.Docs[id]
		}
		sc, err := s.Score(d.texts.Queries[r.QueryID], docs...)
		if err != nil {
			return nil, err
		}
		m := make(map[string]float32, len(sc))
		for i, id := range r.DocumentIDs {
			m[id] = sc[i]
		}
		out[r.QueryID] = m
		bar.Add(1)
	}
	return out, nil
}

// timedRun runs search for every query, timing each call, and returns the
// hits as a run.
func timedRun(ctx context.Context, queries []datasets.Query, tag string, search func(datasets.Query) ([]datasets.Hit, error), bar *progress.Bar) (datasets.Run, []time.Duration, error) {
	defer bar.Done()
	run := datasets.Run{}
	lat := make([]time.Duration, 0, len(queries))
	for _, q := range queries {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		t0 := time.Now()
		hits, err := search(q)
		if err != nil {
			return nil, nil, err
		}
		lat = append(lat, time.Since(t0))
		bar.Add(1)
		r, err := retrieval.ToRun([]string{q.ID}, [][]datasets.Hit{hits}, tag)
		if err != nil {
			return nil, nil, err
		}
		run[q.ID] = r[q.ID]
	}
	return run, lat, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// rerankTimed reranks each query's top depth first-stage candidates,
// timing each query (query and document encoding included).
func rerankTimed(ctx context.Context, s *ranker.Ranker, d *testData, first datasets.Run, depth int, bar *progress.Bar) (datasets.Run, []time.Duration, error) {
	defer bar.Done()
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
		ids, docs := make([]string, len(entries)), make([]string, len(entries))
		for i, e := range entries {
			ids[i], docs[i] = e.DocID, d.texts.Docs[e.DocID]
		}
		var out []datasets.RunEntry
		if len(docs) > 0 {
			var err error
			if out, err = s.RerankQuery(q.ID, q.Text, ids, docs, "student"); err != nil {
				return nil, nil, err
			}
		}
		lat = append(lat, time.Since(t0))
		bar.Add(1)
		run[q.ID] = out
	}
	return run, lat, nil
}
