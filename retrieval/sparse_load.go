package retrieval

import (
	"path/filepath"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

func loadSparseIndex(dir string, mem memory.Allocator) (*SparseIndex, error) {
	m, err := readManifest(dir, kindSparse)
	if err != nil {
		return nil, err
	}
	docsPath, err := m.verify(dir, sparseDocsFile)
	if err != nil {
		return nil, err
	}
	postingsPath, err := m.verify(dir, sparsePostingsFile)
	if err != nil {
		return nil, err
	}
	if m.VocabSize <= 0 {
		return nil, corrupt(filepath.Join(dir, ManifestName), "vocab_size", "%d", m.VocabSize)
	}
	ids, err := readSparseDocs(docsPath, m, mem)
	if err != nil {
		return nil, err
	}
	ix := newSparseIndex(m.VocabSize, m.PruneTopK, ids, make([]int64, m.VocabSize+1),
		make([]int32, 0, m.Postings), make([]float32, 0, m.Postings))
	ix.key = m.Key
	if err := ix.readPostings(postingsPath, m, mem); err != nil {
		return nil, err
	}
	return ix, nil
}

// readSparseDocs reads docs.arrow: ids strictly ascending, as many as the
// manifest says, with the manifest's key and vocabulary size.
func readSparseDocs(path string, m *manifest, mem memory.Allocator) ([]string, error) {
	ids := make([]string, 0, m.Documents)
	checkMeta := func(md arrow.Metadata) error {
		if v, err := metaValue(path, md, keyVocab); err != nil {
			return err
		} else if v != strconv.Itoa(m.VocabSize) {
			return corrupt(path, keyVocab, "%s, manifest says %d", v, m.VocabSize)
		}
		if v, err := metaValue(path, md, keyKey); err != nil {
			return err
		} else if v != m.Key {
			return corrupt(path, keyKey, "%q, manifest says %q", v, m.Key)
		}
		return nil
	}
	err := readArrowFile(path, sparseDocsSchema(0, ""), mem, checkMeta, func(rec arrow.Record) error {
		col := rec.Column(0).(*array.String)
		for i := 0; i < col.Len(); i++ {
			id := col.Value(i)
			if len(ids) > 0 && id <= ids[len(ids)-1] || id == "" {
				return corrupt(path, "doc_id", "row %d: %q out of order", len(ids), id)
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ids) != m.Documents {
		return nil, corrupt(path, "doc_id", "%d documents, manifest says %d", len(ids), m.Documents)
	}
	return ids, nil
}

// readPostings fills the index's posting arrays from postings.arrow.
func (ix *SparseIndex) readPostings(path string, m *manifest, mem memory.Allocator) error {
	last := int32(-1)
	n := int32(len(ix.ids))
	noMeta := func(arrow.Metadata) error { return nil }
	err := readArrowFile(path, sparsePostingsSchema(), mem, noMeta, func(rec arrow.Record) error {
		terms := rec.Column(0).(*array.Int32).Int32Values()
		docs := rec.Column(1).(*array.List)
		dv := docs.ListValues().(*array.Int32).Int32Values()
		weights := rec.Column(2).(*array.List)
		wv := weights.ListValues().(*array.Float32).Float32Values()
		for r, t := range terms {
			if t <= last || int(t) >= ix.vocab {
				return corrupt(path, "term", "row with term %d after %d (vocabulary %d)", t, last, ix.vocab)
			}
			last = t
			d0, d1 := docs.ValueOffsets(r)
			w0, w1 := weights.ValueOffsets(r)
			if d1-d0 != w1-w0 || docs.IsNull(r) || weights.IsNull(r) {
				return corrupt(path, "weights", "term %d: %d documents, %d weights", t, d1-d0, w1-w0)
			}
			for j, d := range dv[d0:d1] {
				if d < 0 || d >= n || j > 0 && d <= dv[d0+int64(j)-1] {
					return corrupt(path, "docs", "term %d: document %d out of order or range [0, %d)", t, d, n)
				}
			}
			ix.docs = append(ix.docs, dv[d0:d1]...)
			ix.weights = append(ix.weights, wv[w0:w1]...)
			ix.offsets[t+1] = d1 - d0
		}
		return nil
	})
	if err != nil {
		return err
	}
	if int64(len(ix.docs)) != m.Postings {
		return corrupt(path, "docs", "%d postings, manifest says %d", len(ix.docs), m.Postings)
	}
	for t := 1; t <= ix.vocab; t++ {
		ix.offsets[t] += ix.offsets[t-1]
	}
	return nil
}
