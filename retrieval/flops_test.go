package retrieval

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFLOPSHand(t *testing.T) {
	// docs d1 = {1, 2}, d2 = {2, 3}, d3 = {2}: N = 3, df(1) = 1, df(2) = 3, df(3) = 1.
	b := NewSparseIndexBuilder(5)
	for _, d := range []struct {
		id string
		v  SparseVector
	}{{"d1", sv(1, 1, 2, 1)}, {"d2", sv(2, 1, 3, 1)}, {"d3", sv(2, 1)}} {
		if err := b.Add(d.id, d.v); err != nil {
			t.Fatal(err)
		}
	}
	ix := b.Build()
	tests := []struct {
		name          string
		queries       []SparseVector
		flops, visits float64
	}{
		// p(q): term1 = 1/2, term2 = 1. FLOPS = 1/2·1/3 + 1·3/3 = 7/6.
		// postings: q1 = 3, q2 = 1 + 3 = 4, mean 3.5 = N·FLOPS.
		{"two queries", []SparseVector{sv(2, 1), sv(1, 0.5, 2, 2)}, 7.0 / 6, 3.5},
		// zero weight and out-of-vocabulary terms cost nothing: 1/3.
		{"zeros and unknown terms", []SparseVector{sv(1, 1, 3, 0, 9, 1)}, 1.0 / 3, 1},
		// a repeated term counts once: df(2)/N = 1.
		{"repeated term", []SparseVector{{Terms: []int32{2, 2}, Weights: []float32{1, 1}}}, 1, 3},
		// p(q): term 4 has no documents: 0.
		{"unused term", []SparseVector{sv(4, 1)}, 0, 0},
		{"no queries", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ix.FLOPS(tt.queries); math.Abs(got-tt.flops) > 1e-12 {
				t.Errorf("FLOPS = %v, want %v", got, tt.flops)
			}
			if got := ix.PostingsPerQuery(tt.queries); math.Abs(got-tt.visits) > 1e-12 {
				t.Errorf("PostingsPerQuery = %v, want %v", got, tt.visits)
			}
		})
	}
}

// TestFLOPSDefinition checks FLOPS against Σ_j p̂_j(q)·p̂_j(d) computed from
// the raw vectors.
func TestFLOPSDefinition(t *testing.T) {
	const vocab = 40
	ix, _, docs := randomSparse(t, 3, 200, vocab, 8)
	rng := rand.New(rand.NewPCG(4, 4))
	queries := make([]SparseVector, 30)
	for i := range queries {
		queries[i] = dyadicSparse(rng, vocab, 5)
	}
	var pq, pd [vocab]float64
	for _, q := range queries {
		for _, term := range q.Terms {
			pq[term] += 1 / float64(len(queries))
		}
	}
	for _, d := range docs {
		for _, term := range d.Terms {
			pd[term] += 1 / float64(len(docs))
		}
	}
	var want float64
	for j := range vocab {
		want += pq[j] * pd[j]
	}
	if got := ix.FLOPS(queries); math.Abs(got-want) > 1e-9 {
		t.Fatalf("FLOPS = %v, want %v", got, want)
	}
}
