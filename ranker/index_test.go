package ranker

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/distill-ml/distill/student"
)

var indexDocs = map[string]string{
	"d1": "water boils at one hundred degrees celsius at sea level.",
	"d2": "the stock market fell sharply on monday after the report.",
	"d3": "at high altitude water boils at a lower temperature.",
	"d4": "cats are small domesticated carnivorous mammals.",
	"d5": "the boiling point of a liquid depends on the pressure above it.",
}

// loadKind saves an untrained student of the given settings with the real
// tokenizer and loads it back.
func loadKind(t *testing.T, cfg student.Config) *Ranker {
	t.Helper()
	model := map[string]any{"student": cfg, "training": map[string]any{"max_query_length": 12, "max_doc_length": 32}}
	r, err := Load(saveRun(t, newStudent(t, cfg, 11), model, tokenizerJSON(t)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkIndex checks that Search ranks every document of the index by the
// score Ranker.Score gives it, and that Rerank gives the same scores.
func checkIndex(t *testing.T, r *Ranker, ix *Index) {
	t.Helper()
	const query = "what temperature does water boil at"
	hits, err := ix.Search(query, len(indexDocs))
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != len(indexDocs) {
		t.Fatalf("%d hits, want %d", len(hits), len(indexDocs))
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.DocID
		want, err := r.Score(query, indexDocs[h.DocID])
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(h.Score - float64(want[0])); d > 1e-5*math.Max(1, math.Abs(float64(want[0]))) {
			t.Errorf("%s: index score %v, Ranker.Score %v", h.DocID, h.Score, want[0])
		}
		if i > 0 && h.Score > hits[i-1].Score {
			t.Errorf("hit %d (%v) ranks below a lower score (%v)", i, h.Score, hits[i-1].Score)
		}
	}
	top, err := ix.Search(query, 2)
	if err != nil || len(top) != 2 || top[0] != hits[0] || top[1] != hits[1] {
		t.Errorf("top 2: %v, %v; want %v", top, err, hits[:2])
	}
	// Rerank scores the given documents as Search does (to float32
	// round-off: MaxSim over other blocks of documents), best first.
	re, err := ix.Rerank(query, []string{ids[3], ids[1]})
	if err != nil || len(re) != 2 || re[0].DocID != ids[1] || re[1].DocID != ids[3] ||
		math.Abs(re[0].Score-hits[1].Score) > 1e-5 || math.Abs(re[1].Score-hits[3].Score) > 1e-5 {
		t.Errorf("rerank of hits 3 and 1: %v, %v; want %v, %v", re, err, hits[1], hits[3])
	}
}

func TestIndexColBERT(t *testing.T) {
	cb := student.DefaultColBERT(tinyEncoder())
	cb.Dim, cb.QueryLength = 16, 12
	r := loadKind(t, student.Config{Kind: student.KindColBERT, ColBERT: &cb})
	encoded := 0
	ix, err := r.BuildIndex([]string{"d1", "d2", "d3", "d4", "d5"}, indexDocs, IndexOptions{Progress: func(n int) { encoded += n }})
	if err != nil {
		t.Fatal(err)
	}
	if encoded != len(indexDocs) || ix.Bytes() <= 0 {
		t.Errorf("encoded %d documents, index of %d bytes", encoded, ix.Bytes())
	}
	if _, _, ok := ix.Sparsity(); ok {
		t.Error("a token index reports sparsity")
	}
	checkIndex(t, r, ix)
}

func TestIndexSPLADECached(t *testing.T) {
	sp := student.DefaultSPLADE(tinyEncoder())
	r := loadKind(t, student.Config{Kind: student.KindSPLADE, SPLADE: &sp})
	cache := t.TempDir()
	calls := 0
	opts := IndexOptions{CacheDir: cache, Progress: func(int) { calls++ }}
	ix, err := r.BuildIndex([]string{"d1", "d2", "d3", "d4", "d5"}, indexDocs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("Progress not called while encoding")
	}
	nz, flops, ok := ix.Sparsity()
	if !ok || nz <= 0 || flops != 0 {
		t.Errorf("before any search: sparsity %v, FLOPS %v, %v", nz, flops, ok)
	}
	checkIndex(t, r, ix)
	if _, flops, _ = ix.Sparsity(); flops <= 0 {
		t.Errorf("FLOPS of the searched queries %v, want > 0", flops)
	}
	key, err := r.ModelSHA256()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cache, "splade-"+key[:16])); err != nil {
		t.Errorf("cache folder: %v", err)
	}
	calls = 0
	again, err := r.BuildIndex([]string{"d1", "d2", "d3", "d4", "d5"}, indexDocs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 0 {
		t.Errorf("the cached index was encoded again (%d progress calls)", calls)
	}
	if again.Bytes() != ix.Bytes() {
		t.Errorf("cached index of %d bytes, built %d", again.Bytes(), ix.Bytes())
	}
	checkIndex(t, r, again)
}

func TestIndexCrossEncoderRefused(t *testing.T) {
	ce := student.DefaultCrossEncoder(tinyEncoder())
	r := loadKind(t, student.Config{Kind: student.KindCrossEncoder, CrossEncoder: &ce})
	if _, err := r.BuildIndex([]string{"d1"}, indexDocs, IndexOptions{}); !errors.Is(err, ErrKind) {
		t.Errorf("cross-encoder index: %v, want ErrKind", err)
	}
}
