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

// buildStore builds an in-memory store of docs.
func buildStore(t testing.TB, key string, docs []TokenEmbeddings) *EmbeddingStore {
	t.Helper()
	s, err := BuildEmbeddingStore(key, func(add func(TokenEmbeddings) error) error {
		for _, d := range docs {
			if err := add(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMaxSimHand(t *testing.T) {
	s := buildStore(t, "k", []TokenEmbeddings{
		{DocID: "A", Dim: 2, Vectors: []float32{0.6, 0.8, 1, 0}},
		{DocID: "B", Dim: 2, Vectors: []float32{0, 1}},
		{DocID: "C", Dim: 2, Vectors: []float32{0.8, 0.6, 0.6, 0.8, -1, 0}},
		{DocID: "E", Dim: 2, Vectors: nil}, // no tokens: never retrieved
		{DocID: "D", Dim: 2, Vectors: []float32{-0.6, -0.8}},
		// 2 + 1 + 3 + 0 + 1 = 7 token vectors of 2 floats: 56 bytes
	})
	tests := []struct {
		name  string
		query []float32
		k     int
		want  []datasets.Hit
	}{
		// q1 = (1,0), q2 = (0,1):
		// A: max(0.6, 1) + max(0.8, 0) = 1.8;  B: 0 + 1 = 1
		// C: max(0.8, 0.6, -1) + max(0.6, 0.8, 0) = 1.6;  D: -0.6 + -0.8 = -1.4
		{"two tokens", []float32{1, 0, 0, 1}, 10, []datasets.Hit{
			{DocID: "A", Score: f32(1 + float32(0.8))}, {DocID: "C", Score: f32(float32(0.8) + float32(0.8))},
			{DocID: "B", Score: 1}, {DocID: "D", Score: f32(float32(-0.6) + float32(-0.8))}}},
		{"top 2", []float32{1, 0, 0, 1}, 2, []datasets.Hit{{DocID: "A", Score: f32(1 + float32(0.8))}, {DocID: "C", Score: f32(float32(0.8) + float32(0.8))}}},
		// q = (0,1) alone: A 0.8, B 1, C 0.8, D -0.8; A and C tie, A first by id.
		{"one token, tie", []float32{0, 1}, 3, []datasets.Hit{{DocID: "B", Score: 1}, {DocID: "A", Score: f32(0.8)}, {DocID: "C", Score: f32(0.8)}}},
		// q = (1,0) three times: A 3·1 = 3, C 3·0.8, B 0, D 3·(-0.6)
		{"repeated token", []float32{1, 0, 1, 0, 1, 0}, 4, []datasets.Hit{
			{DocID: "A", Score: 3}, {DocID: "C", Score: f32(float32(0.8) + float32(0.8) + float32(0.8))},
			{DocID: "B", Score: 0}, {DocID: "D", Score: f32(float32(-0.6) + float32(-0.6) + float32(-0.6))}}},
		{"k 0", []float32{1, 0}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.MaxSimSearch(tt.query, tt.k)
			if err != nil {
				t.Fatal(err)
			}
			equalHits(t, "MaxSimSearch", got, tt.want)
		})
	}
	if s.Len() != 5 || s.Tokens() != 7 || s.Bytes() != 7*2*4 || s.Dim() != 2 {
		t.Fatalf("Len %d Tokens %d Bytes %d Dim %d", s.Len(), s.Tokens(), s.Bytes(), s.Dim())
	}
}

// randomDocs returns n documents of 0..maxTokens dyadic token vectors.
func randomDocs(rng *rand.Rand, n, maxTokens, dim int) []TokenEmbeddings {
	docs := make([]TokenEmbeddings, n)
	for i := range docs {
		docs[i] = TokenEmbeddings{DocID: "d" + strconv.Itoa(rng.IntN(1<<20)) + "-" + strconv.Itoa(i), Dim: dim,
			Vectors: dyadicMatrix(rng, rng.IntN(maxTokens+1), dim)}
	}
	return docs
}

// naiveRanking scores every non-empty document with the triple loop.
func naiveRanking(docs []TokenEmbeddings, q []float32, dim, k int) []datasets.Hit {
	var all []datasets.Hit
	for _, d := range docs {
		if len(d.Vectors) > 0 {
			all = append(all, datasets.Hit{DocID: d.DocID, Score: f32(naiveMaxSim(q, d.Vectors, dim))})
		}
	}
	sortHits(all)
	return all[:min(k, len(all))]
}

// TestMaxSimMatchesNaive: dyadic values make float32 arithmetic exact, so the
// blocked Sgemm search must equal the triple loop bit for bit, including a
// document larger than a block and a query longer than 32 tokens.
func TestMaxSimMatchesNaive(t *testing.T) {
	for _, c := range []struct{ docs, maxTokens, dim, queryTokens int }{
		{400, 40, 16, 5},
		{150, 60, 128, 33},
		{100, 50, 16, 200}, // long queries: narrower Sgemm panels
		{3, 3000, 8, 2},    // documents over maxSimBlockTokens
	} {
		name := strconv.Itoa(c.dim) + "d"
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(c.dim), 2))
			docs := randomDocs(rng, c.docs, c.maxTokens, c.dim)
			s := buildStore(t, "k", docs)
			for qi := range 4 {
				q := dyadicMatrix(rng, 1+rng.IntN(c.queryTokens), c.dim)
				for _, k := range []int{1, 7, c.docs} {
					for _, workers := range []int{1, 2, 5} {
						got := s.maxSim(q, k, workers)
						equalHits(t, "query "+strconv.Itoa(qi), got, naiveRanking(docs, q, c.dim, k))
					}
				}
			}
		})
	}
}

// TestMaxSimDeterministicTies: many documents with identical vectors tie;
// the order must be by id whatever the number of workers or entry point.
func TestMaxSimDeterministicTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	shared := []TokenEmbeddings{}
	for range 5 {
		shared = append(shared, TokenEmbeddings{Dim: 32, Vectors: unitRows(rng, 1+rng.IntN(50), 32)})
	}
	var docs []TokenEmbeddings
	for i := range 2000 {
		d := shared[rng.IntN(len(shared))]
		d.DocID = "doc-" + strconv.Itoa(rng.IntN(1<<30)) + "-" + strconv.Itoa(i)
		docs = append(docs, d)
	}
	s := buildStore(t, "k", docs)
	queries := [][]float32{unitRows(rng, 8, 32), unitRows(rng, 32, 32)}
	want, err := s.MaxSimSearchBatch(context.Background(), queries, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	for qi, q := range queries {
		for _, workers := range []int{1, 2, 3, 8} {
			equalHits(t, "workers "+strconv.Itoa(workers), s.maxSim(q, 100, workers), want[qi])
		}
		got, err := s.MaxSimSearch(q, 100)
		if err != nil {
			t.Fatal(err)
		}
		equalHits(t, "MaxSimSearch", got, want[qi])
		for i := 1; i < len(got); i++ {
			if got[i].Score == got[i-1].Score && got[i].DocID < got[i-1].DocID {
				t.Fatalf("tie out of id order at %d: %v %v", i, got[i-1], got[i])
			}
		}
	}
	got, err := s.MaxSimSearchBatch(context.Background(), queries, 100, 4)
	if err != nil {
		t.Fatal(err)
	}
	for qi := range queries {
		equalHits(t, "batch", got[qi], want[qi])
	}
	// with real (non-dyadic) vectors, scores agree with the triple loop to rounding.
	for _, h := range want[1][:10] {
		for _, d := range docs {
			if d.DocID == h.DocID {
				if n := naiveMaxSim(queries[1], d.Vectors, 32); math.Abs(f32(n)-h.Score) > 1e-4 {
					t.Fatalf("%s: %v, naive %v", d.DocID, h.Score, n)
				}
			}
		}
	}
}

// unitRows returns rows random L2-normalised vectors.
func unitRows(rng *rand.Rand, rows, dim int) []float32 {
	m := make([]float32, rows*dim)
	for r := range rows {
		var n float64
		for c := range dim {
			v := rng.NormFloat64()
			m[r*dim+c] = float32(v)
			n += v * v
		}
		for c := range dim {
			m[r*dim+c] /= float32(math.Sqrt(n))
		}
	}
	return m
}

func TestMaxSimErrors(t *testing.T) {
	s := buildStore(t, "k", []TokenEmbeddings{{DocID: "a", Dim: 2, Vectors: []float32{1, 0}}})
	for _, tt := range []struct {
		name  string
		query []float32
		field string
		index int
	}{
		{"empty", nil, "vectors", -1},
		{"ragged", []float32{1, 0, 1}, "vectors", -1},
		{"NaN", []float32{1, float32(math.NaN())}, "vectors", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.MaxSimSearch(tt.query, 3)
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tt.field || ie.Index != tt.index {
				t.Fatalf("MaxSimSearch: %v, want InputError on %s[%d]", err, tt.field, tt.index)
			}
			if _, err := s.MaxSimSearchBatch(context.Background(), [][]float32{{1, 0}, tt.query}, 3, 2); !errors.As(err, &ie) {
				t.Fatalf("MaxSimSearchBatch: %v", err)
			}
		})
	}
	for _, tt := range []struct {
		name string
		docs []TokenEmbeddings
		want string
	}{
		{"dim mismatch", []TokenEmbeddings{{DocID: "a", Dim: 2}, {DocID: "b", Dim: 3}}, "dim"},
		{"zero dim", []TokenEmbeddings{{DocID: "a", Dim: 0}}, "dim"},
		{"ragged", []TokenEmbeddings{{DocID: "a", Dim: 2, Vectors: []float32{1}}}, "vectors"},
		{"empty id", []TokenEmbeddings{{Dim: 2}}, "doc_id"},
		{"Inf", []TokenEmbeddings{{DocID: "a", Dim: 1, Vectors: []float32{float32(math.Inf(1))}}}, "vectors"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildEmbeddingStore("k", func(add func(TokenEmbeddings) error) error {
				for _, d := range tt.docs {
					if err := add(d); err != nil {
						return err
					}
				}
				return nil
			})
			var ie *InputError
			if !errors.As(err, &ie) || ie.Field != tt.want {
				t.Fatalf("BuildEmbeddingStore: %v, want InputError on %s", err, tt.want)
			}
		})
	}
	_, err := BuildEmbeddingStore("k", func(add func(TokenEmbeddings) error) error {
		_ = add(TokenEmbeddings{DocID: "a", Dim: 1})
		return add(TokenEmbeddings{DocID: "a", Dim: 1})
	})
	if !errors.Is(err, ErrDuplicateDoc) {
		t.Fatalf("duplicate: %v", err)
	}
}
