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

// Files of a saved SparseIndex.
const (
	sparseDocsFile     = "docs.arrow"
	sparsePostingsFile = "postings.arrow"
)

// Metadata keys of the Arrow files.
const (
	keyVersion = "distill.retrieval.version"
	keyVocab   = "vocab_size"
	keyDim     = "dim"
	keyKey     = "key"
)

// sparseDocsSchema: one row per document, in ordinal (id) order.
func sparseDocsSchema(vocab int, key string) *arrow.Schema {
	md := arrow.NewMetadata([]string{keyKey, keyVocab, keyVersion}, []string{key, strconv.Itoa(vocab), FormatVersion})
	return arrow.NewSchema([]arrow.Field{{Name: "doc_id", Type: arrow.BinaryTypes.String}}, &md)
}

// sparsePostingsSchema: one row per term with postings, terms ascending; docs
// are document ordinals (rows of docs.arrow), ascending.
func sparsePostingsSchema() *arrow.Schema {
	md := arrow.NewMetadata([]string{keyVersion}, []string{FormatVersion})
	return arrow.NewSchema([]arrow.Field{
		{Name: "term", Type: arrow.PrimitiveTypes.Int32},
		{Name: "docs", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32)},
		{Name: "weights", Type: arrow.ListOf(arrow.PrimitiveTypes.Float32)},
	}, &md)
}

// Save writes the index to dir (created if needed) as docs.arrow,
// postings.arrow (zstd) and manifest.json, recording key (for example the
// checkpoint's sha256) so that LoadOrBuildSparseIndex can tell whether the
// folder is still valid. An earlier index in dir is replaced.
func (ix *SparseIndex) Save(dir, key string) error {
	return ix.save(dir, key, memory.DefaultAllocator)
}

func (ix *SparseIndex) save(dir, key string, mem memory.Allocator) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("retrieval: %w", err)
	}
	if err := removeManifest(dir); err != nil {
		return err
	}
	docs, err := writeArrowFile(filepath.Join(dir, sparseDocsFile), sparseDocsSchema(ix.vocab, key), mem, true,
		func(write func(arrow.Record) error) error {
			return writeStrings(mem, sparseDocsSchema(ix.vocab, key), ix.ids, write)
		})
	if err != nil {
		return err
	}
	postings, err := writeArrowFile(filepath.Join(dir, sparsePostingsFile), sparsePostingsSchema(), mem, true, ix.emitPostings(mem))
	if err != nil {
		return err
	}
	docs.Path, postings.Path = sparseDocsFile, sparsePostingsFile
	return writeManifest(dir, &manifest{Kind: kindSparse, Key: key, Documents: len(ix.ids), VocabSize: ix.vocab,
		Postings: int64(len(ix.docs)), PruneTopK: ix.pruneTopK, Files: []fileEntry{docs, postings}})
}

// writeStrings writes a one-column string table in batches.
func writeStrings(mem memory.Allocator, schema *arrow.Schema, values []string, write func(arrow.Record) error) error {
	for start := 0; start < len(values) || start == 0; start += maxBatchValues {
		end := min(start+maxBatchValues, len(values))
		b := array.NewRecordBuilder(mem, schema)
		b.Field(0).(*array.StringBuilder).AppendValues(values[start:end], nil)
		rec := b.NewRecord()
		b.Release()
		err := write(rec)
		rec.Release()
		if err != nil || end == len(values) {
			return err
		}
	}
	return nil
}

// emitPostings writes the posting lists, batches cut at term boundaries
// after about maxBatchValues postings.
func (ix *SparseIndex) emitPostings(mem memory.Allocator) func(write func(arrow.Record) error) error {
	return func(write func(arrow.Record) error) error {
		schema := sparsePostingsSchema()
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		tb := b.Field(0).(*array.Int32Builder)
		db := b.Field(1).(*array.ListBuilder)
		dvb := db.ValueBuilder().(*array.Int32Builder)
		wb := b.Field(2).(*array.ListBuilder)
		wvb := wb.ValueBuilder().(*array.Float32Builder)
		pending := 0
		flush := func() error {
			rec := b.NewRecord()
			defer rec.Release()
			pending = 0
			return write(rec)
		}
		for t := range ix.vocab {
			lo, hi := ix.offsets[t], ix.offsets[t+1]
			if lo == hi {
				continue
			}
			tb.Append(int32(t))
			db.Append(true)
			dvb.AppendValues(ix.docs[lo:hi], nil)
			wb.Append(true)
			wvb.AppendValues(ix.weights[lo:hi], nil)
			if pending += int(hi - lo); pending >= maxBatchValues {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if pending > 0 || len(ix.docs) == 0 {
			return flush()
		}
		return nil
	}
}

// LoadSparseIndex reads an index saved by Save, after checking every file
// against the manifest's size and sha256. A missing manifest is
// ErrNoManifest; a truncated, altered or inconsistent file is a *FileError
// wrapping ErrCorrupt.
func LoadSparseIndex(dir string) (*SparseIndex, error) {
	return loadSparseIndex(dir, memory.DefaultAllocator)
}

// LoadOrBuildSparseIndex returns the index saved in dir if its key equals
// key; otherwise (no index, or another key) it builds one for a vocabulary
// of vocabSize terms from the documents build passes to add, saves it to dir
// under key and returns it. Only the manifest is read to compare keys. A
// corrupt folder with the right key is an error, not silently rebuilt.
func LoadOrBuildSparseIndex(dir, key string, vocabSize int, build func(add func(docID string, v SparseVector) error) error) (*SparseIndex, error) {
	m, err := readManifest(dir, kindSparse)
	if err != nil && !errors.Is(err, ErrNoManifest) {
		return nil, err
	}
	if err == nil && m.Key == key && m.VocabSize == vocabSize {
		return LoadSparseIndex(dir)
	}
	b := NewSparseIndexBuilder(vocabSize)
	if err := build(b.Add); err != nil {
		return nil, err
	}
	ix := b.Build()
	if err := ix.Save(dir, key); err != nil {
		return nil, err
	}
	ix.key = key
	return ix, nil
}
