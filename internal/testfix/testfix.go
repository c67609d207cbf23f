// Package testfix holds the test fixtures several packages' tests build
// alike: a fixture built once per test binary, the shipped data they read,
// and single-threaded ONNX Runtime sessions run on int64 token batches. It
// is imported by tests only.
package testfix

import (
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/ortlib"
)

// Fixture is a test fixture built once per test binary, by the first test
// that asks for it.
type Fixture[T any] struct {
	once  sync.Once
	build func() (T, error)
	v     T
	err   error
	built bool
}

// Once returns the fixture build makes.
func Once[T any](build func() (T, error)) *Fixture[T] {
	return &Fixture[T]{build: build}
}

// Get builds the fixture on its first call and returns the same fixture on
// every later call; an error of the build fails every test that asks.
func (f *Fixture[T]) Get(t testing.TB) T {
	t.Helper()
	f.once.Do(func() {
		f.v, f.err = f.build()
		f.built = f.err == nil
	})
	if f.err != nil {
		t.Fatal(f.err)
	}
	return f.v
}

// Built returns the fixture and true when a test built it without error,
// for TestMain to remove what it wrote once the tests are done.
func (f *Fixture[T]) Built() (T, bool) { return f.v, f.built }

// root is the repository's root folder.
var root = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// Shipped files under the repository's data/ folder.
var (
	// MSMarcoDir is the 5,000-passage MS MARCO subset with its TREC DL 2019
	// queries and judgements, a BEIR folder.
	MSMarcoDir = filepath.Join(root, "data", "trec-dl19-passage-subset")
	// BERTTokenizer is bert-base-uncased's tokenizer.json.
	BERTTokenizer = filepath.Join(root, "data", "tokenizers", "bert-base-uncased", "tokenizer.json")
)

// InitORT loads ONNX Runtime; a missing library fails the test (make test
// installs it).
func InitORT(t testing.TB) {
	t.Helper()
	if _, err := ortlib.Init(""); err != nil {
		t.Fatalf("ONNX Runtime: %v", err)
	}
}

// Session opens a single-threaded ONNX Runtime session on the model file at
// path, or on the model's bytes when data is not nil, with the named inputs
// and outputs. It is destroyed when the test ends.
func Session(t testing.TB, path string, data []byte, inputs, outputs []string) *ort.DynamicAdvancedSession {
	t.Helper()
	InitORT(t)
	so, err := ort.NewSessionOptions()
	if err != nil {
		t.Fatal(err)
	}
	defer so.Destroy()
	if err := so.SetIntraOpNumThreads(1); err != nil {
		t.Fatal(err)
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		t.Fatal(err)
	}
	var s *ort.DynamicAdvancedSession
	if data != nil {
		s, err = ort.NewDynamicAdvancedSessionWithONNXData(data, inputs, outputs, so)
	} else {
		s, err = ort.NewDynamicAdvancedSession(path, inputs, outputs, so)
	}
	if err != nil {
		t.Fatalf("open session on %s: %v", path, err)
	}
	t.Cleanup(func() { s.Destroy() })
	return s
}

// RunTokens runs s on inputs, each a [batch][length] matrix (rows of one
// length) of token ids, type ids or mask, fed as the int64 tensors the
// model declares, and returns its single float32 output, flat, with its
// shape.
func RunTokens(t testing.TB, s *ort.DynamicAdvancedSession, inputs [][][]int32) ([]float32, []int64) {
	t.Helper()
	var in []ort.Value
	for _, rows := range inputs {
		flat := make([]int64, 0, len(rows)*len(rows[0]))
		for _, r := range rows {
			for _, v := range r {
				flat = append(flat, int64(v))
			}
		}
		x, err := ort.NewTensor(ort.NewShape(int64(len(rows)), int64(len(rows[0]))), flat)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Destroy()
		in = append(in, x)
	}
	out := []ort.Value{nil}
	if err := s.Run(in, out); err != nil {
		t.Fatalf("run: %v", err)
	}
	defer out[0].Destroy()
	o, ok := out[0].(*ort.Tensor[float32])
	if !ok {
		t.Fatalf("output is a %T, want a float32 tensor", out[0])
	}
	return append([]float32(nil), o.GetData()...), o.GetShape()
}

// JudgedDocs reads the judgements of MSMarcoDir and returns the first n
// query ids (in sorted order) that have at least minJudged judged
// passages, with each one's judged passages, sorted.
func JudgedDocs(n, minJudged int) ([]string, map[string][]string, error) {
	qrels, err := datasets.ReadQrels(filepath.Join(MSMarcoDir, "qrels", "test.tsv"))
	if err != nil {
		return nil, nil, err
	}
	var qids []string
	for q, judged := range qrels {
		if len(judged) >= minJudged {
			qids = append(qids, q)
		}
	}
	sort.Strings(qids)
	qids = qids[:min(n, len(qids))]
	docs := make(map[string][]string, len(qids))
	for _, q := range qids {
		for d := range qrels[q] {
			docs[q] = append(docs[q], d)
		}
		sort.Strings(docs[q])
	}
	return qids, docs, nil
}
