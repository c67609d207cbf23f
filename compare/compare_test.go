package compare

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/bm25"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/metrics"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/teacher"
	"github.com/distill-ml/distill/training"
)

const tokPath = "../data/tokenizers/bert-base-uncased/tokenizer.json"

// fixture: a 300-document slice of Cranfield with 16 judged queries, a tiny
// ONNX teacher, its labels over BM25's top 20, and two tiny students
// trained on them.
type fixture struct {
	queries, corpus, qrels, model, labels, colbert, splade string
	bm25Run                                                datasets.Run
}

func makeFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	beir := filepath.Join(dir, "cran")
	if _, err := datasets.ConvertCranfield("../data/cranfield", beir); err != nil {
		t.Fatal(err)
	}
	b, err := datasets.LoadBEIR(beir, "test")
	if err != nil {
		t.Fatal(err)
	}
	// 16 judged queries, their judged documents and the first 200 others.
	var qs []datasets.Query
	keep := map[string]bool{}
	for _, q := range b.Queries[:16] {
		qs = append(qs, q)
		for d := range b.Qrels[q.ID] {
			keep[d] = true
		}
	}
	var docs []datasets.Document
	for i, d := range b.Corpus {
		if keep[d.ID] || i < 200 {
			docs = append(docs, d)
		}
	}
	f := &fixture{queries: filepath.Join(dir, "queries.jsonl"), corpus: filepath.Join(dir, "corpus.jsonl"), qrels: filepath.Join(beir, "qrels", "test.tsv")}
	if err := datasets.WriteQueriesJSONL(f.queries, qs); err != nil {
		t.Fatal(err)
	}
	if err := datasets.WriteCorpusJSONL(f.corpus, docs); err != nil {
		t.Fatal(err)
	}
	ix, _ := bm25.NewIndex(bm25.DefaultParams())
	for _, d := range docs {
		ix.Add(d.ID, d.FullText())
	}
	f.bm25Run = datasets.Run{}
	for _, q := range qs {
		for r, h := range ix.Search(q.Text, 20) {
			f.bm25Run[q.ID] = append(f.bm25Run[q.ID], datasets.RunEntry{QueryID: q.ID, DocID: h.DocID, Rank: r + 1, Score: h.Score})
		}
	}
	runPath := filepath.Join(dir, "bm25.run")
	if err := datasets.WriteRun(runPath, f.bm25Run, "bm25"); err != nil {
		t.Fatal(err)
	}
	f.model = filepath.Join(dir, "teacher.onnx")
	cfg := bertonnx.Tiny()
	if err := bertonnx.WriteCrossEncoder(f.model, cfg, bertonnx.RandomWeights(cfg, 7), bertonnx.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	tok, err := teacher.LoadTokenizer(tokPath)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := teacher.NewONNXScorer(f.model, teacher.ONNXOptions{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	f.labels = filepath.Join(dir, "labels")
	job := &teacher.LabelJob{Model: f.model, Tokenizer: tokPath, Queries: f.queries, Corpus: f.corpus, Candidates: runPath,
		Out: f.labels, MaxLength: 96, BatchSize: 16, ChunkPairs: 1000}
	if _, err := teacher.Label(context.Background(), job, &teacher.Engine{Scorer: sc, Tokenizer: tok, MaxLength: 96, BatchSize: 16, Workers: 1}, zap.NewNop()); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		arch  student.Kind
		out   *string
		steps int
	}{{student.KindColBERT, &f.colbert, 40}, {student.KindSPLADE, &f.splade, 10}} {
		c := training.DefaultConfig()
		c.Arch, c.Labels, c.Queries, c.Corpus, c.Tokenizer = s.arch, f.labels, f.queries, f.corpus, tokPath
		c.Out = filepath.Join(dir, string(s.arch))
		c.Layers, c.Hidden, c.Heads, c.FFN, c.Dim = 1, 16, 2, 32, 16
		c.MaxQueryLength, c.MaxDocLength = 16, 48
		c.Steps, c.BatchSize, c.LR, c.EvalEvery, c.SaveEvery, c.LogEvery = s.steps, 4, 1e-3, s.steps, s.steps, 5
		c.ValFraction = 0.25
		if _, err := training.Train(context.Background(), c, training.Options{}); err != nil {
			t.Fatalf("train %s: %v", s.arch, err)
		}
		*s.out = c.Out
	}
	return f
}

func TestCompareRetrieveWithTeacher(t *testing.T) {
	f := makeFixture(t)
	o := Options{Queries: f.queries, Corpus: f.corpus, Qrels: f.qrels, Depth: 20, StageDepth: 5,
		TeacherModel: f.model, TeacherTokenizer: tokPath, MaxLength: 96, Threads: 1, Labels: f.labels,
		CacheDir: filepath.Join(t.TempDir(), "cache")}
	o.Report.Iterations = 2000
	cks := []Checkpoint{ParseCheckpoint(f.colbert), {Name: "splade-kd", Path: f.splade}}
	cmp, err := Run(context.Background(), cks, o)
	if err != nil {
		t.Fatal(err)
	}
	var names, kinds []string
	for _, r := range cmp.Rows {
		names = append(names, r.Name)
		kinds = append(kinds, r.Kind)
	}
	wantNames := "BM25|BM25 → teacher@20|colbert|colbert → teacher@5|BM25 → colbert@20|splade-kd|splade-kd → teacher@5|BM25 → splade-kd@20"
	if strings.Join(names, "|") != wantNames {
		t.Fatalf("rows %q, want %q", strings.Join(names, "|"), wantNames)
	}
	if strings.Join(kinds, "|") != "bm25|teacher|colbert|colbert+teacher|colbert|splade|splade+teacher|splade" {
		t.Errorf("kinds %v", kinds)
	}
	// Provenance: the version, and every input and model with its sha256.
	if cmp.Run == nil || cmp.Run.DistillVersion == "" || len(cmp.Run.Inputs) != 6 {
		t.Fatalf("run provenance %+v", cmp.Run)
	}
	for _, in := range cmp.Run.Inputs {
		if len(in.SHA256) != 64 {
			t.Errorf("input %+v without sha256", in)
		}
	}
	for _, r := range cmp.Rows[1:] {
		if len(r.ModelSHA256) != 64 {
			t.Errorf("%s: model sha256 %q", r.Name, r.ModelSHA256)
		}
	}
	// One training curve per checkpoint: its retrieval row's, not its reranking row's.
	if cmp.Rows[2].Training == nil || cmp.Rows[4].Training != nil || cmp.Rows[7].Training != nil {
		t.Errorf("training logs: %s %v, %s %v, %s %v", cmp.Rows[2].Name, cmp.Rows[2].Training != nil,
			cmp.Rows[4].Name, cmp.Rows[4].Training != nil, cmp.Rows[7].Name, cmp.Rows[7].Training != nil)
	}
	// Default measures: a recall at every list depth, none deeper than a row's list.
	r5, r20 := metrics.RecallAt(5), metrics.RecallAt(20)
	if fmt.Sprint(cmp.Measures) != fmt.Sprint([]metrics.Measure{metrics.MRR10, metrics.NDCG10, r5, r20}) {
		t.Errorf("measures %v", cmp.Measures)
	}
	for _, r := range cmp.Rows {
		_, has20 := r.Mean[r20]
		if want := !strings.Contains(r.Name, "teacher@5"); has20 != want || r.Mean[r5] == 0 && r.Name == "BM25" {
			t.Errorf("%s: R@20 reported %v, want %v (depth %d)", r.Name, has20, want, r.Depth)
		}
		if _, sig := r.Significance[r20]; sig && !has20 {
			t.Errorf("%s: significance of an unreported measure", r.Name)
		}
	}
	// Rerankers of BM25's candidates keep its recall at its depth; a
	// multi-stage row reorders the student's top 5, keeping its R@5.
	for _, pair := range [][2]int{{0, 1}, {0, 4}, {0, 7}} {
		if a, b := cmp.Rows[pair[0]].Mean[r20], cmp.Rows[pair[1]].Mean[r20]; math.Abs(a-b) > 1e-12 {
			t.Errorf("%s R@20 %v, %s %v: same candidates", cmp.Rows[pair[0]].Name, a, cmp.Rows[pair[1]].Name, b)
		}
	}
	for _, pair := range [][2]int{{2, 3}, {5, 6}} {
		if a, b := cmp.Rows[pair[0]].Mean[r5], cmp.Rows[pair[1]].Mean[r5]; math.Abs(a-b) > 1e-12 {
			t.Errorf("%s R@5 %v, %s %v: same top 5", cmp.Rows[pair[0]].Name, a, cmp.Rows[pair[1]].Name, b)
		}
	}
	// The BM25 row equals an independent evaluation of the same ranking.
	ev, err := metrics.Evaluate(f.bm25Run, mustQrels(t, f.qrels), []metrics.Measure{metrics.MRR10, metrics.NDCG10}, metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []metrics.Measure{metrics.MRR10, metrics.NDCG10} {
		if math.Abs(cmp.Rows[0].Mean[m]-ev.Mean[m]) > 1e-12 {
			t.Errorf("BM25 %s = %v, independent evaluation %v", m, cmp.Rows[0].Mean[m], ev.Mean[m])
		}
	}
	if len(cmp.QueryIDs) != 16 {
		t.Errorf("%d evaluated queries, want 16", len(cmp.QueryIDs))
	}
	// The teacher agrees with its own labels exactly; the students do not.
	if a := cmp.Rows[1].Agreement; a == nil || a.KendallTau == nil || math.Abs(*a.KendallTau-1) > 1e-9 || *a.BestMarginMSE > 1e-6 {
		t.Errorf("teacher agreement %+v, want tau 1, best-margin MSE 0", a)
	}
	for _, i := range []int{2, 4, 5, 7} {
		r := cmp.Rows[i]
		if r.Agreement == nil || r.Agreement.KendallTau == nil || *r.Agreement.KendallTau >= 0.999 {
			t.Errorf("%s agreement %+v", r.Name, r.Agreement)
		}
		if r.IndexBytes <= 0 || r.Latency == nil || r.Steps == 0 || r.LabelsUsed != f.labels {
			t.Errorf("%s: index %d bytes, latency %+v, steps %d, labels %q", r.Name, r.IndexBytes, r.Latency, r.Steps, r.LabelsUsed)
		}
	}
	if r := cmp.Rows[5]; r.AvgNonZeros == nil || *r.AvgNonZeros <= 0 || r.FLOPS == nil || *r.FLOPS <= 0 {
		t.Errorf("SPLADE row lacks sparsity: %+v %+v", r.AvgNonZeros, r.FLOPS)
	}
	if cmp.Rows[2].AvgNonZeros != nil {
		t.Errorf("ColBERT row has SPLADE sparsity")
	}
	// Retrieve gives the same ranking as the compare row, and with the teacher
	// reranks the top StageDepth of it.
	ro := Options{Queries: f.queries, Corpus: f.corpus, Depth: 20, CacheDir: o.CacheDir}
	alone, err := Retrieve(context.Background(), cks[0], ro)
	if err != nil {
		t.Fatal(err)
	}
	ro.TeacherModel, ro.TeacherTokenizer, ro.StageDepth, ro.MaxLength, ro.Threads = f.model, tokPath, 5, 96, 1
	piped, err := Retrieve(context.Background(), cks[0], ro)
	if err != nil {
		t.Fatal(err)
	}
	for q, entries := range alone.Run {
		top := map[string]bool{}
		for _, e := range entries[:min(5, len(entries))] {
			top[e.DocID] = true
		}
		if len(piped.Run[q]) != len(top) {
			t.Fatalf("query %s: pipeline returned %d documents, want the student's top %d", q, len(piped.Run[q]), len(top))
		}
		for _, e := range piped.Run[q] {
			if !top[e.DocID] {
				t.Fatalf("query %s: pipeline document %s is not in the student's top 5", q, e.DocID)
			}
		}
	}
	if piped.Kind != "colbert+teacher" || piped.Latency.Count != 16 || piped.Latency.P50 <= 0 { // no timing comparison: the machine may be loaded
		t.Errorf("pipeline %s latency %+v vs student alone %+v", piped.Kind, piped.Latency, alone.Latency)
	}

	// The index cache is reused on a second run (same numbers).
	cmp2, err := Run(context.Background(), cks[:1], o)
	if err != nil {
		t.Fatal(err)
	}
	if cmp2.Rows[2].Mean[metrics.NDCG10] != cmp.Rows[2].Mean[metrics.NDCG10] || cmp2.Rows[4].Mean[metrics.NDCG10] != cmp.Rows[4].Mean[metrics.NDCG10] {
		t.Errorf("cached index gives nDCG@10 %v, fresh %v", cmp2.Rows[2].Mean[metrics.NDCG10], cmp.Rows[2].Mean[metrics.NDCG10])
	}

	// The HTML report: every plot exists and is a PNG; the table's numbers are in it.
	out := t.TempDir()
	if err := cmp.WriteHTML(out); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	imgs := regexp.MustCompile(`<img[^>]+src="([^"]+)"`).FindAllStringSubmatch(string(html), -1)
	if len(imgs) < 4 {
		t.Fatalf("%d plots in the report", len(imgs))
	}
	var plots []string
	for _, m := range imgs {
		fh, err := os.Open(filepath.Join(out, m[1]))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Fatalf("%s: not a PNG plot: %v", m[1], err)
		}
		plots = append(plots, m[1])
	}
	sort.Strings(plots)
	if !strings.Contains(strings.Join(plots, " "), "training-loss.png") {
		t.Errorf("no training curve among %v", plots)
	}
	var table bytes.Buffer
	if err := cmp.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if !strings.Contains(table.String(), name) || !strings.Contains(string(html), name) {
			t.Errorf("%s missing from the table or the HTML", name)
		}
	}
	ndcg := fmt.Sprintf("%.4f", cmp.Rows[0].Mean[metrics.NDCG10])
	if !strings.Contains(string(html), ndcg) {
		t.Errorf("BM25 nDCG@10 %s not in the HTML", ndcg)
	}
}

func TestCompareRerankMode(t *testing.T) {
	f := makeFixture(t)
	cmp, err := Run(context.Background(), []Checkpoint{{Name: "cb", Path: f.colbert}},
		Options{Queries: f.queries, Corpus: f.corpus, Qrels: f.qrels, Depth: 20, Mode: ModeRerank})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Rows) != 2 || cmp.Rows[1].Name != "BM25 → cb@20" {
		t.Fatalf("rows %+v", cmp.Rows)
	}
	// Reranking keeps BM25's candidates: the same recall at depth 20, and
	// no recall column deeper than the lists.
	if fmt.Sprint(cmp.Measures) != fmt.Sprint([]metrics.Measure{metrics.MRR10, metrics.NDCG10, metrics.RecallAt(20)}) {
		t.Errorf("measures %v", cmp.Measures)
	}
	if cmp.Rows[1].Mean[metrics.RecallAt(20)] != cmp.Rows[0].Mean[metrics.RecallAt(20)] {
		t.Errorf("rerank changed recall: %v vs %v", cmp.Rows[1].Mean[metrics.RecallAt(20)], cmp.Rows[0].Mean[metrics.RecallAt(20)])
	}
	if _, err := Run(context.Background(), nil, Options{Queries: f.queries, Corpus: f.corpus, Qrels: f.qrels, Mode: "bogus"}); err == nil {
		t.Error("unknown mode accepted")
	}
}

func mustQrels(t *testing.T, p string) datasets.Qrels {
	q, err := datasets.ReadQrels(p)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
