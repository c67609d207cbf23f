package topk

import (
	"math/rand"
	"sort"
	"testing"
)

type item struct {
	score float64
	id    int
}

func before(a, b item) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

func TestHeapEqualsSortWithTies(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, tc := range []struct{ n, k int }{{0, 3}, {5, 0}, {5, 10}, {100, 10}, {1000, 1}, {1000, 1000}} {
		items := make([]item, tc.n)
		for i := range items {
			items[i] = item{score: float64(rng.Intn(7)), id: i} // many ties
		}
		rng.Shuffle(len(items), func(a, b int) { items[a], items[b] = items[b], items[a] })
		h := New(tc.k, before)
		for _, x := range items {
			h.Offer(x)
		}
		got := h.Drain()
		want := append([]item(nil), items...)
		sort.Slice(want, func(a, b int) bool { return before(want[a], want[b]) })
		want = want[:min(tc.k, len(want))]
		if len(got) != len(want) {
			t.Fatalf("n=%d k=%d: %d items, want %d", tc.n, tc.k, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("n=%d k=%d: item %d = %v, want %v", tc.n, tc.k, i, got[i], want[i])
			}
		}
		if h.Len() != 0 {
			t.Fatalf("Drain left %d items", h.Len())
		}
	}
}

func TestMergeEqualsOneHeap(t *testing.T) {
	a, b, all := New(5, before), New(5, before), New(5, before)
	for i := 0; i < 50; i++ {
		x := item{score: float64((i * 37) % 11), id: i}
		all.Offer(x)
		if i%2 == 0 {
			a.Offer(x)
		} else {
			b.Offer(x)
		}
	}
	a.Merge(b)
	got, want := a.Drain(), all.Drain()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("merged item %d = %v, want %v", i, got[i], want[i])
		}
	}
}
