package retrieval

import (
	"math/rand/v2"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

func TestMaxSimRerankHand(t *testing.T) {
	s := buildStore(t, "k", []TokenEmbeddings{
		{DocID: "A", Dim: 2, Vectors: []float32{0.6, 0.8, 1, 0}},
		{DocID: "B", Dim: 2, Vectors: []float32{0, 1}},
		{DocID: "C", Dim: 2, Vectors: []float32{0.8, 0.6, 0.6, 0.8, -1, 0}},
		{DocID: "E", Dim: 2, Vectors: nil},
		{DocID: "D", Dim: 2, Vectors: []float32{-0.6, -0.8}},
	})
	// q = (0,1): A 0.8, B 1, C 0.8, D -0.8, E (no tokens) 0; every candidate comes back.
	got, err := s.MaxSimRerank([]float32{0, 1}, []string{"D", "E", "C", "A"})
	if err != nil {
		t.Fatal(err)
	}
	equalHits(t, "MaxSimRerank", got, []datasets.Hit{{DocID: "A", Score: f32(0.8)}, {DocID: "C", Score: f32(0.8)}, {DocID: "E", Score: 0}, {DocID: "D", Score: f32(-0.8)}})
	if _, err := s.MaxSimRerank([]float32{0, 1}, []string{"A", "Z"}); err == nil {
		t.Fatal("unknown document: no error")
	}
}

// TestMaxSimRerankMatchesSearch: on dyadic values the reranked candidates
// carry exactly the scores the full search gives them.
func TestMaxSimRerankMatchesSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	docs := randomDocs(rng, 200, 30, 16)
	s := buildStore(t, "k", docs)
	q := dyadicMatrix(rng, 7, 16)
	all, err := s.MaxSimSearch(q, s.Len())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var want []datasets.Hit
	for i, h := range all {
		if i%3 == 0 {
			ids = append(ids, h.DocID)
			want = append(want, h)
		}
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	got, err := s.MaxSimRerank(q, ids)
	if err != nil {
		t.Fatal(err)
	}
	equalHits(t, "MaxSimRerank", got, want)
}

func TestSparseRerankHand(t *testing.T) {
	ix := handIndex(t)
	// q = {1:1.5, 3:2}: a 5, b 1.5, c 6, d 0 (no shared term, still returned).
	got, err := ix.Rerank(sv(1, 1.5, 3, 2), []string{"d", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	equalHits(t, "Rerank", got, []datasets.Hit{{DocID: "c", Score: 6}, {DocID: "b", Score: 1.5}, {DocID: "d", Score: 0}})
	// The scratch space is clean afterwards: a search sees only its own query.
	equalHits(t, "Search after Rerank", ix.Search(sv(5, 1), 10), []datasets.Hit{{DocID: "d", Score: 1}})
	if _, err := ix.Rerank(sv(1, 1), []string{"zz"}); err == nil {
		t.Fatal("unknown document: no error")
	}
}
