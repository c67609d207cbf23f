package export

import (
	"math"
	"path/filepath"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/testfix"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

var (
	dataDir = testfix.MSMarcoDir
	tokPath = testfix.BERTTokenizer
)

// tinyEncoder is a two-layer BERT over the real uncased vocabulary, 128
// positions, so that passages are cut.
func tinyEncoder() student.EncoderConfig {
	return student.EncoderConfig{VocabSize: 30522, Hidden: 32, Layers: 2, Heads: 2, FFN: 64,
		MaxPosition: 128, TypeVocabSize: 2, LayerNormEps: 1e-12}
}

// texts are real MS MARCO queries with judged passages, tokenised.
type texts struct {
	queryIDs, docIDs   []string  // docIDs[i] is judged for queryIDs[i/2]
	queries, docs      []string  // the texts
	queryToks, docToks [][]int32 // [CLS] … [SEP], uncut
	tok                *tokenizer.Tokenizer
	run                datasets.Run // the pairs as a candidates run
}

// realTexts returns 6 queries with 2 judged passages each.
var realTexts = testfix.Once(loadTexts).Get

func loadTexts() (*texts, error) {
	tok, err := tokenizer.Load(tokPath)
	if err != nil {
		return nil, err
	}
	qids, judged, err := testfix.JudgedDocs(6, 2)
	if err != nil {
		return nil, err
	}
	f := &texts{tok: tok, run: datasets.Run{}}
	needQ, needD := map[string]string{}, map[string]string{}
	for _, q := range qids {
		f.queryIDs = append(f.queryIDs, q)
		for i, d := range judged[q][:2] {
			f.docIDs = append(f.docIDs, d)
			f.run[q] = append(f.run[q], datasets.RunEntry{QueryID: q, DocID: d, Rank: i + 1, Score: float64(2 - i)})
			needD[d] = ""
		}
		needQ[q] = ""
	}
	if err := datasets.ForEachQuery(filepath.Join(dataDir, "queries.jsonl"), func(q datasets.Query) error {
		if _, ok := needQ[q.ID]; ok {
			needQ[q.ID] = q.Text
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := datasets.ForEachDocument(filepath.Join(dataDir, "corpus.jsonl"), func(d datasets.Document) error {
		if _, ok := needD[d.ID]; ok {
			needD[d.ID] = d.FullText()
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, q := range f.queryIDs {
		f.queries = append(f.queries, needQ[q])
		f.queryToks = append(f.queryToks, tok.EncodeSingle(needQ[q], 0).IDs)
	}
	for _, d := range f.docIDs {
		f.docs = append(f.docs, needD[d])
		f.docToks = append(f.docToks, tok.EncodeSingle(needD[d], 0).IDs)
	}
	return f, nil
}

// newModel builds a model of cfg with its matrices scaled by 4, far from
// the near-constant outputs of BERT's 0.02 initialisation.
func newModel(t testing.TB, cfg student.Config, seed uint64) student.Model {
	t.Helper()
	m, err := student.New(gorgonia.NewGraph(), cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		if p.Node.Dims() > 1 {
			d := p.Node.Value().Data().([]float32)
			for i := range d {
				d[i] *= 4
			}
		}
	}
	return m
}

// runORT runs the model at path on the named token inputs [B][L] (fed as
// int64) and returns its single output, flat, with its shape.
func runORT(t testing.TB, path string, names []string, inputs [][][]int32, output string) ([]float32, []int64) {
	t.Helper()
	return testfix.RunTokens(t, testfix.Session(t, path, nil, names, []string{output}), inputs)
}

// maxDiff returns max |a − b|.
func maxDiff(t testing.TB, a, b []float32) float64 {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d values and %d values", len(a), len(b))
	}
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(float64(a[i]-b[i])))
	}
	return m
}
