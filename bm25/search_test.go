package bm25

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// TestTiesBrokenByDocID: identical documents score identically; the ranking
// must be by id ascending, whatever the insertion order, also when the
// cut-off at k falls inside the tie.
func TestTiesBrokenByDocID(t *testing.T) {
	ids := []string{"b", "a", "e", "c", "d", "aa", "B"}
	want := []datasets.Hit{{DocID: "B", Score: 0}, {DocID: "a", Score: 0}, {DocID: "aa", Score: 0}} // byte order: upper case first
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		ix, err := NewIndex(DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := ix.Add(id, "same text here"); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Add("other", "unrelated words"); err != nil {
			t.Fatal(err)
		}
		got := ix.Search("text", 3)
		if len(got) != 3 {
			t.Fatalf("trial %d: %v", trial, got)
		}
		for i := range got {
			if got[i].DocID != want[i].DocID || got[i].Score != got[0].Score {
				t.Fatalf("trial %d (insertion order %v): got %v, want ids %v", trial, ids, got, want)
			}
		}
	}
}

// TestSearchOrdering checks on random documents that hits are sorted by
// score descending, then id ascending, and that they equal the first k of a
// full ranking.
func TestSearchOrdering(t *testing.T) {
	ix := randomIndex(t, 300, 7)
	for _, q := range []string{"w1 w2", "w3", "w0 w5 w5 w9", "w4 w7"} {
		all := ix.Search(q, ix.Len())
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			if a.Score < b.Score || (a.Score == b.Score && a.DocID >= b.DocID) {
				t.Fatalf("%q: hits %d and %d out of order: %v, %v", q, i-1, i, a, b)
			}
		}
		for _, k := range []int{1, 5, 17, 1000} {
			top := ix.Search(q, k)
			if !reflect.DeepEqual(top, all[:min(k, len(all))]) {
				t.Fatalf("%q: top %d differs from the full ranking", q, k)
			}
		}
	}
}

func TestSearchAllMatchesSearch(t *testing.T) {
	ix := randomIndex(t, 500, 11)
	queries := make([]string, 64)
	for i := range queries {
		queries[i] = fmt.Sprintf("w%d w%d w%d", i%13, (i*7)%13, (i*3)%11)
	}
	want := make([][]datasets.Hit, len(queries))
	for i, q := range queries {
		want[i] = ix.Search(q, 10)
	}
	for _, workers := range []int{0, 1, 2, 8, 100} {
		got, err := ix.SearchAll(context.Background(), queries, 10, workers)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SearchAll with %d workers differs from Search", workers)
		}
	}
	if got, err := ix.SearchAll(context.Background(), nil, 10, 4); err != nil || len(got) != 0 {
		t.Errorf("SearchAll(nil) = %v, %v", got, err)
	}
}

func TestSearchAllCancelled(t *testing.T) {
	ix := randomIndex(t, 50, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := ix.SearchAll(ctx, []string{"w1", "w2"}, 5, 2)
	if !errors.Is(err, context.Canceled) || len(got) != 2 || got[0] != nil {
		t.Errorf("cancelled SearchAll = %v, %v", got, err)
	}
}

// randomIndex indexes n documents of 3 to 40 words drawn from w0..w19 with a
// skewed distribution, so that scores vary and some tie.
func randomIndex(t testing.TB, n int, seed uint64) *Index {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	ix, err := NewIndex(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for d := range n {
		words := make([]byte, 0, 256)
		for range 3 + rng.IntN(38) {
			words = fmt.Appendf(words, "w%d ", rng.IntN(1+rng.IntN(20)))
		}
		if err := ix.Add(fmt.Sprintf("doc%04d", rng.IntN(1000000)*1000+d), string(words)); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}
