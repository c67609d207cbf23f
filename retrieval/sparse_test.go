package retrieval

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// handIndex: vocab 10,
//
//	a = {1:2, 3:1}   b = {1:1, 2:4}   c = {3:3}   d = {5:1}
func handIndex(t *testing.T) *SparseIndex {
	t.Helper()
	b := NewSparseIndexBuilder(10)
	for _, d := range []struct {
		id string
		v  SparseVector
	}{{"c", sv(3, 3)}, {"a", sv(1, 2, 3, 1)}, {"d", sv(5, 1)}, {"b", sv(1, 1, 2, 4)}} {
		if err := b.Add(d.id, d.v); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build()
}

func TestSparseSearchHand(t *testing.T) {
	ix := handIndex(t)
	// q = {1:1.5, 3:2}: a = 1.5·2 + 2·1 = 5, b = 1.5·1 = 1.5, c = 2·3 = 6, d no match.
	q := sv(1, 1.5, 3, 2)
	tests := []struct {
		name string
		q    SparseVector
		k    int
		want []datasets.Hit
	}{
		{"all", q, 10, []datasets.Hit{{DocID: "c", Score: 6}, {DocID: "a", Score: 5}, {DocID: "b", Score: 1.5}}},
		{"top 2", q, 2, []datasets.Hit{{DocID: "c", Score: 6}, {DocID: "a", Score: 5}}},
		{"k 0", q, 0, nil},
		// {2:0.5}: b = 0.5·4 = 2
		{"one term", sv(2, 0.5), 3, []datasets.Hit{{DocID: "b", Score: 2}}},
		// {1:-1}: a = -2, b = -1; negative scores still match
		{"negative query weight", sv(1, -1), 5, []datasets.Hit{{DocID: "b", Score: -1}, {DocID: "a", Score: -2}}},
		{"term outside vocab ignored", sv(3, 1, 99, 5), 5, []datasets.Hit{{DocID: "c", Score: 3}, {DocID: "a", Score: 1}}},
		{"zero weight matches nothing", sv(5, 0), 5, []datasets.Hit{}},
		// term 3 twice: c = 3·1 + 3·1 = 6, a = 1 + 1 = 2
		{"repeated term counts twice", SparseVector{Terms: []int32{3, 3}, Weights: []float32{1, 1}}, 5, []datasets.Hit{{DocID: "c", Score: 6}, {DocID: "a", Score: 2}}},
		{"empty query", SparseVector{}, 5, []datasets.Hit{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Search(tt.q, tt.k)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			equalHits(t, "Search", got, tt.want)
		})
	}
}

func TestSparseTiesByDocID(t *testing.T) {
	b := NewSparseIndexBuilder(4)
	for _, id := range []string{"z", "m", "a10", "a2", "b"} {
		if err := b.Add(id, sv(1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Add("top", sv(1, 2)); err != nil {
		t.Fatal(err)
	}
	ix := b.Build()
	// every doc scores 1·1 = 1 except "top" (2); ties in byte order of ids.
	want := []datasets.Hit{{DocID: "top", Score: 2}, {DocID: "a10", Score: 1}, {DocID: "a2", Score: 1}, {DocID: "b", Score: 1}, {DocID: "m", Score: 1}, {DocID: "z", Score: 1}}
	equalHits(t, "all", ix.Search(sv(1, 1), 10), want)
	equalHits(t, "k=3", ix.Search(sv(1, 1), 3), want[:3])
}

func TestSparseAddErrors(t *testing.T) {
	tests := []struct {
		name  string
		id    string
		v     SparseVector
		field string
		index int
	}{
		{"empty id", "", sv(1, 1), "doc_id", -1},
		{"length mismatch", "x", SparseVector{Terms: []int32{1, 2}, Weights: []float32{1}}, "weights", -1},
		{"term too large", "x", sv(1, 1, 10, 1), "terms", 1},
		{"negative term", "x", sv(-1, 1), "terms", 0},
		{"unsorted", "x", sv(3, 1, 2, 1), "terms", 1},
		{"repeated term", "x", sv(2, 1, 2, 1), "terms", 1},
		{"NaN", "x", sv(1, float32(math.NaN())), "weights", 0},
		{"Inf", "x", sv(1, 1, 2, float32(math.Inf(-1))), "weights", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewSparseIndexBuilder(10)
			err := b.Add(tt.id, tt.v)
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tt.field || ie.Index != tt.index {
				t.Fatalf("Add: %v, want InputError on %s[%d]", err, tt.field, tt.index)
			}
			if b.Len() != 0 {
				t.Fatalf("rejected document was added")
			}
		})
	}
	b := NewSparseIndexBuilder(10)
	if err := b.Add("x", sv(1, 1)); err != nil {
		t.Fatal(err)
	}
	if err := b.Add("x", sv(2, 1)); !errors.Is(err, ErrDuplicateDoc) {
		t.Fatalf("duplicate: %v", err)
	}
}

func TestSparseStats(t *testing.T) {
	b := NewSparseIndexBuilder(10)
	// zero weight dropped: postings a{1,3} b{1,2} c{3}, e has none.
	for _, d := range []struct {
		id string
		v  SparseVector
	}{{"a", sv(1, 2, 3, 1)}, {"b", sv(1, 1, 2, 4, 7, 0)}, {"c", sv(3, 3)}, {"e", sv(4, 0)}} {
		if err := b.Add(d.id, d.v); err != nil {
			t.Fatal(err)
		}
	}
	s := b.Build().Stats()
	// bytes: 5 postings·8 + 11 offsets·8 + ids (4 bytes + 4·16 headers) = 40 + 88 + 68 = 196
	want := SparseStats{Documents: 4, Postings: 5, AvgNonZeros: 1.25, TermsUsed: 3, VocabSize: 10, Bytes: 196}
	if s != want {
		t.Fatalf("Stats = %+v, want %+v", s, want)
	}
}

func TestPruneTopK(t *testing.T) {
	v := sv(1, 0.5, 4, 3, 6, 1, 8, 3, 9, 2)
	tests := []struct {
		n    int
		want SparseVector
	}{
		{0, v},
		{5, v},
		{9, v},
		{1, sv(4, 3)}, // 3 at terms 4 and 8: smaller term wins
		{2, sv(4, 3, 8, 3)},
		{3, sv(4, 3, 8, 3, 9, 2)},
		{4, sv(4, 3, 6, 1, 8, 3, 9, 2)},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.n), func(t *testing.T) {
			got := v.PruneTopK(tt.n)
			if !equalSparse(got, tt.want) {
				t.Fatalf("PruneTopK(%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
	b := NewSparseIndexBuilder(10)
	b.SetPruneTopK(2)
	if err := b.Add("d", v); err != nil {
		t.Fatal(err)
	}
	ix := b.Build()
	if s := ix.Stats(); s.Postings != 2 || s.PruneTopK != 2 {
		t.Fatalf("pruned index stats %+v", s)
	}
	// term 9 was pruned away; term 8 kept (3·1 = 3)
	equalHits(t, "pruned", ix.Search(sv(8, 1, 9, 1), 5), []datasets.Hit{{DocID: "d", Score: 3}})
}

func equalSparse(a, b SparseVector) bool {
	if len(a.Terms) != len(b.Terms) || len(a.Weights) != len(b.Weights) {
		return false
	}
	for i := range a.Terms {
		if a.Terms[i] != b.Terms[i] || a.Weights[i] != b.Weights[i] {
			return false
		}
	}
	return true
}

// randomSparse builds an index of n dyadic documents and returns it with
// the documents (in insertion order) and their ids.
func randomSparse(t testing.TB, seed uint64, n, vocab, nnz int) (*SparseIndex, []string, []SparseVector) {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := NewSparseIndexBuilder(vocab)
	ids := make([]string, n)
	docs := make([]SparseVector, n)
	for i := range n {
		ids[i] = "doc" + strconv.Itoa(rng.IntN(1<<30)) + "-" + strconv.Itoa(i)
		docs[i] = dyadicSparse(rng, vocab, nnz)
		if err := b.Add(ids[i], docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return b.Build(), ids, docs
}

func TestSparseSearchMatchesNaive(t *testing.T) {
	// Small vocabulary so that many documents share terms and many tie.
	ix, ids, docs := randomSparse(t, 7, 600, 50, 6)
	rng := rand.New(rand.NewPCG(8, 1))
	queries := make([]SparseVector, 40)
	for i := range queries {
		queries[i] = dyadicSparse(rng, 50, 4)
	}
	for i, q := range queries {
		for _, k := range []int{1, 10, 1000} {
			equalHits(t, "query "+strconv.Itoa(i), ix.Search(q, k), naiveSparse(ids, docs, q, k))
		}
	}
	want, err := ix.SearchBatch(context.Background(), queries, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{0, 2, 3, 16} {
		got, err := ix.SearchBatch(context.Background(), queries, 10, workers)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			equalHits(t, "workers "+strconv.Itoa(workers), got[i], want[i])
		}
	}
}

func TestSparseSearchBatchCancelled(t *testing.T) {
	ix := handIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.SearchBatch(ctx, []SparseVector{sv(1, 1)}, 5, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled batch: %v", err)
	}
}

func TestSparseEmptyIndex(t *testing.T) {
	ix := NewSparseIndexBuilder(5).Build()
	if h := ix.Search(sv(1, 1), 5); len(h) != 0 {
		t.Fatalf("empty index returned %v", h)
	}
	if f := ix.FLOPS([]SparseVector{sv(1, 1)}); f != 0 {
		t.Fatalf("FLOPS of empty index = %v", f)
	}
}
