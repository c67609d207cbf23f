package bertonnx

import (
	"math"
	"math/rand/v2"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/distill-ml/distill/internal/testfix"
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
	ids, types, mask [][]int32
}

// pairRow encodes [CLS] q [SEP] d [SEP] padded with [PAD] to length n.
func pairRow(q, d []int32, n int) (ids, types, mask []int32) {
	ids = make([]int32, n)
	types = make([]int32, n)
	mask = make([]int32, n)
	t := 0
	put := func(id, typ int32) { ids[t], types[t], mask[t] = id, typ, 1; t++ }
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
func randomTokens(rng *rand.Rand, n int) []int32 {
	t := make([]int32, n)
	for i := range t {
		t[i] = int32(firstWordID + rng.Int64N(30522-firstWordID))
	}
	return t
}

// randomBatch makes n pairs with query lengths 1..8 and document lengths
// 1..maxDoc, padded to the longest.
func randomBatch(seed uint64, n, maxDoc int) batch {
	rng := rand.New(rand.NewPCG(seed, 7))
	qs, ds := make([][]int32, n), make([][]int32, n)
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

// newSession opens a single-threaded session on a model file, or on model
// bytes when data is not nil.
func newSession(t testing.TB, path string, data []byte, inputs []string) *ort.DynamicAdvancedSession {
	return testfix.Session(t, path, data, inputs, []string{"logits"})
}

// runSession feeds b to s (token types only when withTypes) and returns
// logits [batch][labels].
func runSession(t testing.TB, s *ort.DynamicAdvancedSession, b batch, withTypes bool, labels int) [][]float32 {
	t.Helper()
	cols := [][][]int32{b.ids, b.mask}
	if withTypes {
		cols = append(cols, b.types)
	}
	flat, shape := testfix.RunTokens(t, s, cols)
	if len(shape) != 2 || shape[0] != int64(len(b.ids)) || shape[1] != int64(labels) {
		t.Fatalf("logits of shape %v, want [%d %d]", shape, len(b.ids), labels)
	}
	logits := make([][]float32, len(b.ids))
	for i := range logits {
		logits[i] = flat[i*labels : (i+1)*labels]
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
