package retrieval

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// benchSparse returns n random sparse vectors of about nnz terms over a
// BERT vocabulary with weights in (0, 2]; zipf draws terms from a Zipf law
// (s = 1.1), as real SPLADE term frequencies are skewed, instead of uniformly.
func benchSparse(rng *rand.Rand, n, nnz int, zipf bool) []SparseVector {
	const vocab = 30522
	z := rand.NewZipf(rng, 1.1, 10, vocab-1)
	out := make([]SparseVector, n)
	for i := range out {
		seen := map[int32]bool{}
		for len(seen) < nnz {
			t := int32(rng.IntN(vocab))
			if zipf {
				t = int32(z.Uint64())
			}
			seen[t] = true
		}
		v := SparseVector{}
		for t := range seen {
			v.Terms = append(v.Terms, t)
		}
		slices.Sort(v.Terms)
		for range v.Terms {
			v.Weights = append(v.Weights, 2*rng.Float32()+1e-3)
		}
		out[i] = v
	}
	return out
}

// BenchmarkSparseSearch: 10,000 documents of 100 non-zeros, vocabulary 30522,
// queries of 30 non-zeros, top 1000.
func BenchmarkSparseSearch(b *testing.B) {
	for _, zipf := range []bool{false, true} {
		name := "uniform"
		if zipf {
			name = "zipf"
		}
		rng := rand.New(rand.NewPCG(1, 1))
		bld := NewSparseIndexBuilder(30522)
		for i, d := range benchSparse(rng, 10000, 100, zipf) {
			if err := bld.Add("doc"+strconv.Itoa(i), d); err != nil {
				b.Fatal(err)
			}
		}
		ix := bld.Build()
		queries := benchSparse(rng, 256, 30, zipf)
		b.Run(name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				ix.Search(queries[n%len(queries)], 1000)
				n++
			}
			b.ReportMetric(ix.PostingsPerQuery(queries), "postings/query")
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "queries/s")
		})
		b.Run(name+"/batch", func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if _, err := ix.SearchBatch(context.Background(), queries, 1000, 0); err != nil {
					b.Fatal(err)
				}
				n += len(queries)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}

// BenchmarkMaxSim: 2,000 documents × 100 tokens × dim 128, 32-token queries,
// top 1000.
func BenchmarkMaxSim(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	docs := make([]TokenEmbeddings, 2000)
	for i := range docs {
		docs[i] = TokenEmbeddings{DocID: "doc" + strconv.Itoa(i), Dim: 128, Vectors: unitRows(rng, 100, 128)}
	}
	s := buildStore(b, "bench", docs)
	queries := make([][]float32, 8)
	for i := range queries {
		queries[i] = unitRows(rng, 32, 128)
	}
	b.Run("single", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if _, err := s.MaxSimSearch(queries[n%len(queries)], 1000); err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "queries/s")
	})
	b.Run("batch", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if _, err := s.MaxSimSearchBatch(context.Background(), queries, 1000, 0); err != nil {
				b.Fatal(err)
			}
			n += len(queries)
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "queries/s")
	})
}
