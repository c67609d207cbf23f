package bertonnx

import (
	"math"
	"math/rand/v2"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/distill-ml/distill/internal/ortlib"
)

// BERT uncased special tokens and the range of ordinary WordPiece ids.
const (
	tokPAD      = 0
	tokCLS      = 101
	tokSEP      = 102
	firstWordID = 1996 // "the"
)

// batch is a padded, rectangular batch of query–document pairs.
type batch struct {
	ids, types, mask [][]int64
}

// pairRow encodes [CLS] q [SEP] d [SEP] padded with [PAD] to length n.
func pairRow(q, d []int64, n int) (ids, types, mask []int64) {
	ids = make([]int64, n)
	types = make([]int64, n)
	mask = make([]int64, n)
	t := 0
	put := func(id, typ int64) { ids[t], types[t], mask[t] = id, typ, 1; t++ }
	put(tokCLS, 0)
	for _, id := range q {
		put(id, 0)
	}
	put(tokSEP, 0)
	for _, id := range d {
		put(id, 1)
	}
	put(tokSEP, 1)
	return ids, types, mask
}

// randomTokens draws n ordinary WordPiece ids.
func randomTokens(rng *rand.Rand, n int) []int64 {
	t := make([]int64, n)
	for i := range t {
		t[i] = firstWordID + rng.Int64N(30522-firstWordID)
	}
	return t
}

// randomBatch makes n pairs with query lengths 1..8 and document lengths
// 1..maxDoc, padded to the longest.
func randomBatch(seed uint64, n, maxDoc int) batch {
	rng := rand.New(rand.NewPCG(seed, 7))
	qs, ds := make([][]int64, n), make([][]int64, n)
	longest := 0
	for i := range n {
		qs[i] = randomTokens(rng, 1+rng.IntN(8))
		ds[i] = randomTokens(rng, 1+rng.IntN(maxDoc))
		longest = max(longest, len(qs[i])+len(ds[i])+3)
	}
	var b batch
	for i := range n {
		ids, types, mask := pairRow(qs[i], ds[i], longest)
		b.ids, b.types, b.mask = append(b.ids, ids), append(b.types, types), append(b.mask, mask)
	}
	return b
}

func flatten(x [][]int64) []int64 {
	var f []int64
	for _, r := range x {
		f = append(f, r...)
	}
	return f
}

// initORT loads ONNX Runtime; a missing library fails the test (make test
// installs it).
func initORT(t testing.TB) {
	t.Helper()
	if _, err := ortlib.Init(""); err != nil {
		t.Fatalf("ONNX Runtime: %v", err)
	}
}

// newSession opens a single-threaded session on a model file, or on model
// bytes when data is not nil.
func newSession(t testing.TB, path string, data []byte, inputs []string) *ort.DynamicAdvancedSession {
	t.Helper()
	initORT(t)
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
		s, err = ort.NewDynamicAdvancedSessionWithONNXData(data, inputs, []string{"logits"}, so)
	} else {
		s, err = ort.NewDynamicAdvancedSession(path, inputs, []string{"logits"}, so)
	}
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	t.Cleanup(func() { s.Destroy() })
	return s
}

// runSession feeds b to s (token types only when withTypes) and returns
// logits [batch][labels].
func runSession(t testing.TB, s *ort.DynamicAdvancedSession, b batch, withTypes bool, labels int) [][]float32 {
	t.Helper()
	shape := ort.NewShape(int64(len(b.ids)), int64(len(b.ids[0])))
	cols := [][][]int64{b.ids, b.mask}
	if withTypes {
		cols = append(cols, b.types)
	}
	var in []ort.Value
	for _, c := range cols {
		x, err := ort.NewTensor(shape, flatten(c))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Destroy()
		in = append(in, x)
	}
	out, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(len(b.ids)), int64(labels)))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Destroy()
	if err := s.Run(in, []ort.Value{out}); err != nil {
		t.Fatalf("run: %v", err)
	}
	flat := out.GetData()
	logits := make([][]float32, len(b.ids))
	for i := range logits {
		logits[i] = append([]float32(nil), flat[i*labels:(i+1)*labels]...)
	}
	return logits
}

// maxAbsDiff returns max |a − b| over all logits.
func maxAbsDiff(t testing.TB, a [][]float32, b [][]float64) float64 {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("batch sizes differ: %d and %d", len(a), len(b))
	}
	m := 0.0
	for i := range a {
		if len(a[i]) != len(b[i]) {
			t.Fatalf("row %d: %d and %d labels", i, len(a[i]), len(b[i]))
		}
		for j := range a[i] {
			m = math.Max(m, math.Abs(float64(a[i][j])-b[i][j]))
		}
	}
	return m
}
