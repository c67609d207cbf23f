package retrieval

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

func TestEmbeddingStoreRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := randomDocs(rng, 120, 30, 24)
	s := buildStore(t, "sha-1", docs)
	got := saveAndOpen(t, s.save, openEmbeddingStore)
	if got.Key() != "sha-1" || got.Dim() != 24 || got.Len() != s.Len() || got.Tokens() != s.Tokens() {
		t.Fatalf("opened key %q dim %d len %d tokens %d", got.Key(), got.Dim(), got.Len(), got.Tokens())
	}
	for i := range docs {
		d := got.Document(i)
		if d.DocID != docs[i].DocID || !slices.Equal(d.Vectors, docs[i].Vectors) {
			t.Fatalf("document %d differs after round trip", i)
		}
	}
	q := dyadicMatrix(rng, 6, 24)
	a, _ := s.MaxSimSearch(q, 50)
	b, _ := got.MaxSimSearch(q, 50)
	equalHits(t, "search after reopen", b, a)
}

func TestEmbeddingStoreEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := buildStore(t, "k", nil).Save(dir); err != nil {
		t.Fatal(err)
	}
	s, err := OpenEmbeddingStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := s.MaxSimSearch([]float32{1, 2}, 5); err != nil || len(h) != 0 {
		t.Fatalf("empty store: %v %v", h, err)
	}
}

func TestLoadOrBuildEmbeddings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "colbert")
	builds := 0
	build := func(add func(TokenEmbeddings) error) error {
		builds++
		if err := add(TokenEmbeddings{DocID: "x", Dim: 2, Vectors: []float32{1, 0}}); err != nil {
			return err
		}
		return add(TokenEmbeddings{DocID: "y", Dim: 2, Vectors: []float32{0, 1, 0.5, 0.5}})
	}
	for i, want := range []struct {
		key    string
		builds int
	}{{"ckpt-a", 1}, {"ckpt-a", 1}, {"ckpt-b", 2}, {"ckpt-b", 2}, {"ckpt-a", 3}} {
		s, err := LoadOrBuild(dir, want.key, build)
		if err != nil {
			t.Fatal(err)
		}
		if builds != want.builds || s.Key() != want.key {
			t.Fatalf("call %d: %d builds, key %q; want %d, %q", i, builds, s.Key(), want.builds, want.key)
		}
		// q = (1,0): x = 1, y = max(0, 0.5) = 0.5
		h, err := s.MaxSimSearch([]float32{1, 0}, 2)
		if err != nil {
			t.Fatal(err)
		}
		equalHits(t, "search", h, []datasets.Hit{{DocID: "x", Score: 1}, {DocID: "y", Score: 0.5}})
	}
	failed := errors.New("encoder crashed")
	if _, err := LoadOrBuild(dir, "ckpt-c", func(func(TokenEmbeddings) error) error { return failed }); !errors.Is(err, failed) {
		t.Fatalf("build error: %v", err)
	}
	if s, err := OpenEmbeddingStore(dir); err != nil || s.Key() != "ckpt-a" {
		t.Fatalf("failed build must leave the earlier store: %v", err)
	}
	flip(t, dir, embeddingsFile, 300)
	if _, err := LoadOrBuild(dir, "ckpt-a", build); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("corrupt store: %v", err)
	}
}

func TestOpenEmbeddingStoreDetectsDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	s := buildStore(t, "k", randomDocs(rng, 50, 20, 8))
	for _, d := range []damage{
		{"no manifest", func(t *testing.T, dir string) { remove(t, dir, ManifestName) }, ErrNoManifest, "", ""},
		{"truncated", func(t *testing.T, dir string) { truncate(t, dir, embeddingsFile, 1) }, ErrCorrupt, "bytes", embeddingsFile},
		{"flipped byte", func(t *testing.T, dir string) { flip(t, dir, embeddingsFile, 2000) }, ErrCorrupt, "sha256", embeddingsFile},
		{"missing file", func(t *testing.T, dir string) { remove(t, dir, embeddingsFile) }, ErrCorrupt, "files", embeddingsFile},
		{"manifest dim", func(t *testing.T, dir string) { editManifest(t, dir, "dim", 4) }, ErrCorrupt, keyDim, embeddingsFile},
		{"manifest tokens", func(t *testing.T, dir string) { editManifest(t, dir, "tokens", 3) }, ErrCorrupt, "embeddings", embeddingsFile},
		{"manifest key", func(t *testing.T, dir string) { editManifest(t, dir, "key", "other") }, ErrCorrupt, keyKey, embeddingsFile},
		{"sparse folder", func(t *testing.T, dir string) { editManifest(t, dir, "kind", kindSparse) }, nil, "kind", ManifestName},
		{"future version", func(t *testing.T, dir string) { editManifest(t, dir, "version", "2") }, nil, "version", ManifestName},
	} {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := s.Save(dir); err != nil {
				t.Fatal(err)
			}
			d.apply(t, dir)
			_, err := OpenEmbeddingStore(dir)
			checkDamage(t, err, d)
		})
	}
}
