package retrieval

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/datasets"
)

func TestSparseSaveLoadRoundTrip(t *testing.T) {
	ix, _, _ := randomSparse(t, 11, 300, 200, 12)
	save := func(dir string, mem memory.Allocator) error { return ix.save(dir, "ckpt-sha", mem) }
	got := saveAndOpen(t, save, loadSparseIndex)
	if got.Key() != "ckpt-sha" || got.Stats() != ix.Stats() {
		t.Fatalf("loaded key %q stats %+v, want ckpt-sha %+v", got.Key(), got.Stats(), ix.Stats())
	}
	for i := range ix.Len() {
		if got.DocID(i) != ix.DocID(i) {
			t.Fatalf("doc %d: %q, want %q", i, got.DocID(i), ix.DocID(i))
		}
	}
	rng := rand.New(rand.NewPCG(12, 0))
	for i := range 20 {
		q := dyadicSparse(rng, 200, 10)
		equalHits(t, "query "+strconv.Itoa(i), got.Search(q, 20), ix.Search(q, 20))
	}
}

func TestSparseSaveLoadEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := NewSparseIndexBuilder(3).Build().Save(dir, "k"); err != nil {
		t.Fatal(err)
	}
	ix, err := LoadSparseIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 0 || ix.VocabSize() != 3 {
		t.Fatalf("loaded empty index: %+v", ix.Stats())
	}
}

// damage alters a saved folder; each case must make loading fail.
type damage struct {
	name  string
	apply func(t *testing.T, dir string)
	want  error  // errors.Is target
	field string // FileError.Field, "" to skip
	file  string // base name the error must mention
}

func sparseDamages() []damage {
	return []damage{
		{"no manifest", func(t *testing.T, dir string) { remove(t, dir, ManifestName) }, ErrNoManifest, "", ""},
		{"truncated postings", func(t *testing.T, dir string) { truncate(t, dir, sparsePostingsFile, 40) }, ErrCorrupt, "bytes", sparsePostingsFile},
		{"flipped byte in docs", func(t *testing.T, dir string) { flip(t, dir, sparseDocsFile, 100) }, ErrCorrupt, "sha256", sparseDocsFile},
		{"missing postings", func(t *testing.T, dir string) { remove(t, dir, sparsePostingsFile) }, ErrCorrupt, "files", sparsePostingsFile},
		{"manifest postings count", func(t *testing.T, dir string) { editManifest(t, dir, "postings", 1) }, ErrCorrupt, "docs", sparsePostingsFile},
		{"manifest vocab", func(t *testing.T, dir string) { editManifest(t, dir, "vocab_size", 7) }, ErrCorrupt, keyVocab, sparseDocsFile},
		{"manifest key", func(t *testing.T, dir string) { editManifest(t, dir, "key", "other") }, ErrCorrupt, keyKey, sparseDocsFile},
		{"wrong kind", func(t *testing.T, dir string) { editManifest(t, dir, "kind", kindEmbeddings) }, nil, "kind", ManifestName},
		{"manifest not json", func(t *testing.T, dir string) { writeFile(t, dir, ManifestName, "{") }, ErrCorrupt, "", ManifestName},
	}
}

func TestSparseLoadDetectsDamage(t *testing.T) {
	ix, _, _ := randomSparse(t, 5, 100, 50, 10)
	for _, d := range sparseDamages() {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := ix.Save(dir, "k"); err != nil {
				t.Fatal(err)
			}
			d.apply(t, dir)
			_, err := LoadSparseIndex(dir)
			checkDamage(t, err, d)
		})
	}
}

func checkDamage(t *testing.T, err error, d damage) {
	t.Helper()
	if err == nil {
		t.Fatal("damaged folder loaded without error")
	}
	if d.want != nil && !errors.Is(err, d.want) {
		t.Fatalf("error %v, want %v", err, d.want)
	}
	if d.field != "" {
		var fe *FileError
		if !errors.As(err, &fe) || fe.Field != d.field {
			t.Fatalf("error %v, want FileError on field %s", err, d.field)
		}
	}
	if !strings.Contains(err.Error(), d.file) {
		t.Fatalf("error %q does not name %s", err, d.file)
	}
}

func TestLoadOrBuildSparseIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "splade")
	builds := 0
	build := func(add func(string, SparseVector) error) error {
		builds++
		if err := add("a", sv(1, 2)); err != nil {
			return err
		}
		return add("b", sv(1, 1, 2, 1))
	}
	for i, want := range []struct {
		key    string
		builds int
	}{{"k1", 1}, {"k1", 1}, {"k2", 2}, {"k2", 2}} {
		ix, err := LoadOrBuildSparseIndex(dir, want.key, 4, build)
		if err != nil {
			t.Fatal(err)
		}
		if builds != want.builds || ix.Key() != want.key {
			t.Fatalf("call %d: %d builds, key %q; want %d, %q", i, builds, ix.Key(), want.builds, want.key)
		}
		equalHits(t, "search", ix.Search(sv(1, 1), 5), []datasets.Hit{{DocID: "a", Score: 2}, {DocID: "b", Score: 1}})
	}
	truncate(t, dir, sparseDocsFile, 10)
	if _, err := LoadOrBuildSparseIndex(dir, "k2", 4, build); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("corrupt folder: %v", err)
	}
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func truncate(t *testing.T, dir, name string, drop int64) {
	t.Helper()
	p := filepath.Join(dir, name)
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, st.Size()-drop); err != nil {
		t.Fatal(err)
	}
}

func flip(t *testing.T, dir, name string, at int) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[at%len(data)] ^= 0x40
	writeFile(t, dir, name, string(data))
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editManifest sets one field of manifest.json.
func editManifest(t *testing.T, dir, field string, value any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m[field] = value
	data, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, ManifestName, string(data))
}
