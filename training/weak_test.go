package training

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// TestPseudoQueries checks each kind's shape, that the same seed gives the
// same queries and another seed others, and that a corpus that cannot give
// the kind is an error.
func TestPseudoQueries(t *testing.T) {
	docs := []datasets.Document{
		{ID: "d1", Title: "flutter of heated panels", Text: "Panels flutter when heated. The onset speed falls with temperature! Short one. " +
			"A second long sentence about aeroelastic stability of thin plates at supersonic speeds follows here"},
		{ID: "d2", Title: "", Text: "boundary layer transition on cones at hypersonic mach numbers was measured in a shock tunnel"},
		{ID: "d3", Title: "wing theory", Text: "tiny"},
	}
	words := map[string][]string{}
	for _, d := range docs {
		words[d.ID] = strings.Fields(d.Text)
	}
	for _, kind := range []string{"title", "sentence", "span"} {
		qs, src, err := PseudoQueries(docs, 20, kind, 1)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if len(qs) != 20 || qs[0].ID != "pq000001" || qs[19].ID != "pq000020" {
			t.Fatalf("%s: %d queries, ids %s…%s", kind, len(qs), qs[0].ID, qs[len(qs)-1].ID)
		}
		for _, q := range qs {
			d := src[q.ID]
			w := strings.Fields(q.Text)
			switch kind {
			case "title":
				if d == "d2" || q.Text != map[string]string{"d1": "flutter of heated panels", "d3": "wing theory"}[d] {
					t.Errorf("title %q from %s", q.Text, d)
				}
			case "sentence":
				if len(w) < spanMinWords || len(w) > sentenceMaxWords || d == "d3" || !strings.Contains(docs[idx(docs, d)].Text, q.Text) {
					t.Errorf("sentence %q from %s", q.Text, d)
				}
				if strings.ContainsAny(q.Text, ".!") {
					t.Errorf("sentence %q holds its end mark", q.Text)
				}
			case "span":
				if len(w) < spanMinWords || len(w) > spanMaxWords || d == "d3" || !containsRun(words[d], w) {
					t.Errorf("span %q (%d words) from %s", q.Text, len(w), d)
				}
			}
		}
		again, _, _ := PseudoQueries(docs, 20, kind, 1)
		other, _, _ := PseudoQueries(docs, 20, kind, 2)
		if !slices.Equal(qs, again) {
			t.Errorf("%s: the same seed gave other queries", kind)
		}
		if kind != "title" && slices.Equal(qs, other) {
			t.Errorf("%s: seeds 1 and 2 gave the same queries", kind)
		}
	}
	mixed, src, err := PseudoQueries(docs, 60, "mixed", 3)
	if err != nil {
		t.Fatal(err)
	}
	titles := 0
	for _, q := range mixed {
		if q.Text == docs[idx(docs, src[q.ID])].Title {
			titles++
		}
	}
	if titles == 0 || titles == len(mixed) {
		t.Errorf("mixed: %d of %d queries are titles, want some but not all", titles, len(mixed))
	}
	if _, _, err := PseudoQueries(docs[1:2], 5, "title", 1); err == nil {
		t.Error("titles from a corpus without titles: want an error")
	}
	if _, _, err := PseudoQueries(docs, 5, "paragraph", 1); !errors.Is(err, ErrConfig) {
		t.Errorf("an unknown kind: %v, want ErrConfig", err)
	}
}

func idx(docs []datasets.Document, id string) int {
	return slices.IndexFunc(docs, func(d datasets.Document) bool { return d.ID == id })
}

// containsRun reports whether run occurs in words as consecutive words.
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// TestTrainWeak runs the weak phase on 150 passages of the fixture corpus:
// BM25's top candidate is each pseudo-query's positive, the phase is
// validated at its start and end, a cross-encoder takes every parameter
// from its checkpoint, and a resumed finished phase trains nothing more.
// (Whether the phase teaches matching is measured on Cranfield, in the
// README: a one-layer, 32-wide model does not learn it in a test's time.)
func TestTrainWeak(t *testing.T) {
	f := getFixture(t)
	docs, err := datasets.ReadCorpus(f.corpus)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c := tinyConfig(f, student.KindCrossEncoder, filepath.Join(dir, "teacher"))
	c.Corpus = filepath.Join(dir, "corpus.jsonl")
	if err := datasets.WriteCorpusJSONL(c.Corpus, docs[:150]); err != nil {
		t.Fatal(err)
	}
	c.MaxQueryLength, c.MaxDocLength, c.Negatives, c.BatchSize, c.LR = 16, 48, 4, 16, 2e-3
	const n = 300
	w := WeakOptions{Source: "bm25", PseudoQueries: n, Kind: "span", Steps: 40, Loss: "pairwise-ce", Depth: 20, Positives: 1}
	res, last, err := TrainWeak(context.Background(), c, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Step != 40 || !strings.HasSuffix(last, "step-000040") || filepath.Dir(last) != filepath.Join(c.Out, WeakDir) {
		t.Fatalf("weak phase: step %d, checkpoint %s", res.Step, last)
	}
	run, err := datasets.ReadRun(filepath.Join(c.Out, WeakDir, "bm25.run"))
	if err != nil {
		t.Fatal(err)
	}
	qrels, err := datasets.ReadQrels(filepath.Join(c.Out, WeakDir, "qrels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(run) != n || len(qrels) != n {
		t.Fatalf("%d queries retrieved, %d with a positive; want %d", len(run), len(qrels), n)
	}
	trainable := 0 // queries with a positive and a negative
	for _, es := range run {
		if len(es) >= 2 {
			trainable++
		}
	}
	for q, rel := range qrels {
		if len(rel) != 1 || rel[run[q][0].DocID] != 1 {
			t.Fatalf("%s: positives %v, BM25's top is %s", q, rel, run[q][0].DocID)
		}
	}
	set, err := labels.Open(filepath.Join(c.Out, WeakDir, "bm25-candidates"), true)
	if err != nil {
		t.Fatal(err)
	}
	if m := set.Manifest; m.Queries != trainable {
		t.Errorf("labels of %d queries, want the %d with two or more candidates", m.Queries, trainable)
	}
	rows := valRows(t, filepath.Join(c.Out, WeakDir))
	if len(rows) != 2 || rows[0].ValMRR10 == nil {
		t.Fatalf("%d validations (want the start and the end)", len(rows))
	}
	// The fine-tuning on judgements starts from the phase's checkpoint: every
	// parameter of the cross-encoder comes from it.
	tok, err := tokenizer.Load(f.tokenizer)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := studentConfig(c, tok)
	if err != nil {
		t.Fatal(err)
	}
	m, err := student.New(G.NewGraph(), sc, 9)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := InitFrom(m, last); err != nil || len(rep.Missing) > 0 || len(rep.Loaded) != len(m.Params()) {
		t.Errorf("the cross-encoder from the weak checkpoint: %v, missing %v", err, rep.Missing)
	}
	res, again, err := TrainWeak(context.Background(), c, w, Options{Resume: true})
	if err != nil || again != last || res.Resumed != 40 {
		t.Errorf("resuming the finished phase: %v, checkpoint %s, resumed from %d", err, again, res.Resumed)
	}
	if _, _, err := TrainWeak(context.Background(), c, w, Options{}); !errors.Is(err, ErrRunExists) {
		t.Errorf("the phase again without Resume: %v, want ErrRunExists", err)
	}
}
