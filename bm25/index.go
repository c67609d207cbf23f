package bm25

import (
	"fmt"
	"sync"
)

// Index is an in-memory inverted index with BM25 scoring.
//
// Add must not run concurrently with any other method. Once documents are
// added, Search, SearchAll, Score and Stats are safe for concurrent use.
type Index struct {
	params Params

	ids     []string         // document ordinal → id
	ordinal map[string]int32 // id → document ordinal
	lengths []float64        // ordinal → scoring length (decoded norm when quantized)

	vocab    map[string]int32 // term → term id
	postings [][]posting      // term id → postings in increasing document ordinal

	docCount int   // documents with at least one term: N in the idf
	tokens   int64 // Σ exact document lengths, for avgdl

	scratch []byte    // Add's analysis buffer
	pool    sync.Pool // *searchScratch
}

// posting records that a document holds a term tf times.
type posting struct {
	doc int32
	tf  int32
}

// NewIndex returns an empty index, or a *ParamError if params is invalid.
func NewIndex(params Params) (*Index, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	return &Index{
		params:  params,
		ordinal: make(map[string]int32),
		vocab:   make(map[string]int32),
	}, nil
}

// Params returns the parameters the index was built with.
func (ix *Index) Params() Params { return ix.params }

// Add analyzes text and indexes it as document id. It returns an error
// wrapping ErrDuplicateDoc if id was added before. A text without terms (all
// stop words, say) is kept but can never match, and does not count towards
// N or the average length, as in Lucene.
func (ix *Index) Add(id, text string) error {
	if _, dup := ix.ordinal[id]; dup {
		return fmt.Errorf("%w: %q", ErrDuplicateDoc, id)
	}
	if len(ix.ids) == maxDocs {
		return fmt.Errorf("bm25: index full at %d documents", maxDocs)
	}
	doc := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.ordinal[id] = doc

	length := 0
	ix.scratch = ix.params.Analyzer.eachTerm(text, ix.scratch[:0], func(term []byte, _ string) {
		length++
		tid, ok := ix.vocab[string(term)]
		if !ok {
			tid = int32(len(ix.postings))
			ix.vocab[string(term)] = tid
			ix.postings = append(ix.postings, nil)
		}
		ps := ix.postings[tid]
		if n := len(ps); n > 0 && ps[n-1].doc == doc {
			ps[n-1].tf++
			return
		}
		ix.postings[tid] = append(ps, posting{doc: doc, tf: 1})
	})

	scored := float64(length)
	if ix.params.QuantizeLength {
		scored = float64(Byte4ToInt(IntToByte4(length)))
	}
	ix.lengths = append(ix.lengths, scored)
	if length > 0 {
		ix.docCount++
		ix.tokens += int64(length)
	}
	return nil
}

// maxDocs is the most documents an index holds (ordinals are int32).
const maxDocs = 1<<31 - 1

// Len returns the number of documents added.
func (ix *Index) Len() int { return len(ix.ids) }

// avgDocLen is the mean exact length over documents with at least one term.
func (ix *Index) avgDocLen() float64 {
	if ix.docCount == 0 {
		return 0
	}
	return float64(ix.tokens) / float64(ix.docCount)
}
