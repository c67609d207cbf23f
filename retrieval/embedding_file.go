package retrieval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// embeddingsFile is the Arrow file of a saved EmbeddingStore.
const embeddingsFile = "embeddings.arrow"

// embeddingsSchema: one row per document in insertion order; embeddings is
// the document's n×dim matrix, row-major. The file is not compressed:
// float32 embeddings barely compress and loading should be a plain copy.
func embeddingsSchema(dim int, key string) *arrow.Schema {
	md := arrow.NewMetadata([]string{keyDim, keyKey, keyVersion}, []string{strconv.Itoa(dim), key, FormatVersion})
	return arrow.NewSchema([]arrow.Field{
		{Name: "doc_id", Type: arrow.BinaryTypes.String},
		{Name: "embeddings", Type: arrow.ListOf(arrow.PrimitiveTypes.Float32)},
	}, &md)
}

// Save writes the store to dir (created if needed) as embeddings.arrow and
// manifest.json, replacing an earlier store there.
func (s *EmbeddingStore) Save(dir string) error {
	return s.save(dir, memory.DefaultAllocator)
}

func (s *EmbeddingStore) save(dir string, mem memory.Allocator) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("retrieval: %w", err)
	}
	if err := removeManifest(dir); err != nil {
		return err
	}
	schema := embeddingsSchema(s.dim, s.key)
	entry, err := writeArrowFile(filepath.Join(dir, embeddingsFile), schema, mem, false, func(write func(arrow.Record) error) error {
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		ib := b.Field(0).(*array.StringBuilder)
		lb := b.Field(1).(*array.ListBuilder)
		vb := lb.ValueBuilder().(*array.Float32Builder)
		pending := 0
		for i := range s.ids {
			ib.Append(s.ids[i])
			lb.Append(true)
			v := s.Document(i).Vectors
			vb.AppendValues(v, nil)
			pending += len(v) + 1
			if pending >= maxBatchValues || i == len(s.ids)-1 {
				rec := b.NewRecord()
				err := write(rec)
				rec.Release()
				if err != nil {
					return err
				}
				pending = 0
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	entry.Path = embeddingsFile
	return writeManifest(dir, &manifest{Kind: kindEmbeddings, Key: s.key, Documents: len(s.ids), Dim: s.dim,
		Tokens: s.Tokens(), Files: []fileEntry{entry}})
}

// OpenEmbeddingStore reads a store saved in dir into memory, after checking
// the file against the manifest's size and sha256. A missing manifest is
// ErrNoManifest; a truncated, altered or inconsistent file is a *FileError
// wrapping ErrCorrupt.
func OpenEmbeddingStore(dir string) (*EmbeddingStore, error) {
	return openEmbeddingStore(dir, memory.DefaultAllocator)
}

// LoadOrBuild returns the store saved in dir if its key equals key (for
// example the checkpoint's sha256); otherwise (no store, or another key) it
// builds one from the documents build passes to add, saves it to dir and
// returns it. Only the manifest is read to compare keys. A corrupt folder
// with the right key is an error, not silently rebuilt.
func LoadOrBuild(dir, key string, build func(add func(TokenEmbeddings) error) error) (*EmbeddingStore, error) {
	m, err := readManifest(dir, kindEmbeddings)
	if err != nil && !errors.Is(err, ErrNoManifest) {
		return nil, err
	}
	if err == nil && m.Key == key {
		return OpenEmbeddingStore(dir)
	}
	s, err := BuildEmbeddingStore(key, build)
	if err != nil {
		return nil, err
	}
	if err := s.Save(dir); err != nil {
		return nil, err
	}
	return s, nil
}

func openEmbeddingStore(dir string, mem memory.Allocator) (*EmbeddingStore, error) {
	m, err := readManifest(dir, kindEmbeddings)
	if err != nil {
		return nil, err
	}
	path, err := m.verify(dir, embeddingsFile)
	if err != nil {
		return nil, err
	}
	s := &EmbeddingStore{key: m.Key, dim: m.Dim, offsets: make([]int64, 1, m.Documents+1),
		ids: make([]string, 0, m.Documents), vecs: make([]float32, 0, m.Tokens*int64(m.Dim))}
	seen := make(map[string]struct{}, m.Documents)
	checkMeta := func(md arrow.Metadata) error {
		if v, err := metaValue(path, md, keyDim); err != nil {
			return err
		} else if v != strconv.Itoa(m.Dim) {
			return corrupt(path, keyDim, "%s, manifest says %d", v, m.Dim)
		}
		if v, err := metaValue(path, md, keyKey); err != nil {
			return err
		} else if v != m.Key {
			return corrupt(path, keyKey, "%q, manifest says %q", v, m.Key)
		}
		return nil
	}
	err = readArrowFile(path, embeddingsSchema(0, ""), mem, checkMeta, func(rec arrow.Record) error {
		ids := rec.Column(0).(*array.String)
		lists := rec.Column(1).(*array.List)
		values := lists.ListValues().(*array.Float32).Float32Values()
		for r := 0; r < ids.Len(); r++ {
			id := ids.Value(r)
			v0, v1 := lists.ValueOffsets(r)
			if _, dup := seen[id]; dup || id == "" || lists.IsNull(r) {
				return corrupt(path, "doc_id", "row %d: empty, null or repeated id %q", len(s.ids), id)
			}
			if m.Dim <= 0 || (v1-v0)%int64(m.Dim) != 0 {
				return corrupt(path, "embeddings", "document %q: %d values for dim %d", id, v1-v0, m.Dim)
			}
			seen[id] = struct{}{}
			s.ids = append(s.ids, id)
			s.vecs = append(s.vecs, values[v0:v1]...)
			s.offsets = append(s.offsets, int64(len(s.vecs))/int64(m.Dim))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.ids) != m.Documents || s.Tokens() != m.Tokens {
		return nil, corrupt(path, "embeddings", "%d documents and %d tokens, manifest says %d and %d",
			len(s.ids), s.Tokens(), m.Documents, m.Tokens)
	}
	s.index()
	return s, nil
}
