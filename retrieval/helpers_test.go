package retrieval

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/datasets"
)

// saveAndOpen saves an index into a new folder with save and opens it with
// open, both allocating from one checked allocator that must hold nothing
// when the test ends.
func saveAndOpen[T any](t *testing.T, save func(dir string, mem memory.Allocator) error, open func(dir string, mem memory.Allocator) (T, error)) T {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	dir := t.TempDir()
	if err := save(dir, mem); err != nil {
		t.Fatal(err)
	}
	got, err := open(dir, mem)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// sv builds a SparseVector from term, weight pairs.
func sv(pairs ...float32) SparseVector {
	v := SparseVector{}
	for i := 0; i < len(pairs); i += 2 {
		v.Terms = append(v.Terms, int32(pairs[i]))
		v.Weights = append(v.Weights, pairs[i+1])
	}
	return v
}

// dyadicSparse returns a random vector of about nnz terms whose weights are
// multiples of 1/8 in [1/8, 2], so every dot product and partial sum of the
// tests is exact in float32 whatever the summation order.
func dyadicSparse(rng *rand.Rand, vocab, nnz int) SparseVector {
	seen := map[int32]bool{}
	for range nnz {
		seen[int32(rng.IntN(vocab))] = true
	}
	v := SparseVector{}
	for t := range seen {
		v.Terms = append(v.Terms, t)
	}
	slices.Sort(v.Terms)
	for range v.Terms {
		v.Weights = append(v.Weights, float32(1+rng.IntN(16))/8)
	}
	return v
}

// naiveSparse scores every document by a plain dot product and ranks them
// by score descending, then id ascending, keeping documents that share a
// non-zero query term.
func naiveSparse(ids []string, docs []SparseVector, q SparseVector, k int) []datasets.Hit {
	var all []datasets.Hit
	for i, d := range docs {
		var s float32
		match := false
		for qi, t := range q.Terms {
			if j, ok := slices.BinarySearch(d.Terms, t); ok && q.Weights[qi] != 0 && d.Weights[j] != 0 {
				s += q.Weights[qi] * d.Weights[j]
				match = true
			}
		}
		if match {
			all = append(all, datasets.Hit{DocID: ids[i], Score: float64(s)})
		}
	}
	sortHits(all)
	return all[:min(k, len(all))]
}

// f32 widens a float32 score, as the index computes it, to a Hit's Score.
func f32(x float32) float64 { return float64(x) }

// sortHits orders hits by score descending, then id ascending.
func sortHits(h []datasets.Hit) {
	slices.SortFunc(h, func(a, b datasets.Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		if a.DocID < b.DocID {
			return -1
		}
		if a.DocID > b.DocID {
			return 1
		}
		return 0
	})
}

// naiveMaxSim is the triple loop Σ_i max_j Σ_c q[i,c]·d[j,c].
func naiveMaxSim(q, d []float32, dim int) float32 {
	var score float32
	for i := 0; i < len(q); i += dim {
		var best float32
		for j := 0; j < len(d); j += dim {
			var dot float32
			for c := range dim {
				dot += q[i+c] * d[j+c]
			}
			if j == 0 || dot > best {
				best = dot
			}
		}
		score += best
	}
	return score
}

// dyadicMatrix returns rows×dim values that are multiples of 1/16 in
// [-1/2, 1/2]: products are multiples of 1/256 and sums over dim ≤ 256 stay
// far below 2²⁴ of them, so float32 arithmetic on them is exact.
func dyadicMatrix(rng *rand.Rand, rows, dim int) []float32 {
	m := make([]float32, rows*dim)
	for i := range m {
		m[i] = float32(rng.IntN(17)-8) / 16
	}
	return m
}

func equalHits(t *testing.T, what string, got, want []datasets.Hit) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n got  %v\n want %v", what, got, want)
	}
}
