package ranker

import (
	"github.com/distill-ml/distill/retrieval"
	"github.com/distill-ml/distill/student"
)

// TokenEncoder is a model that represents a text by one unit vector per
// token and scores a document by MaxSim (ColBERT). Its index stores every
// document token's embedding. Inputs are token ids with [CLS] and [SEP],
// unpadded, as Encoder makes them.
type TokenEncoder interface {
	EncodeQueries(queries [][]int32) ([][][]float32, error)
	EncodeDocs(docs [][]int32) ([][][]float32, error)
	Dim() int // size of a token embedding
}

// SparseEncoder is a model that represents a text by weights over its
// vocabulary and scores a document by their dot product (SPLADE). Its index
// is an inverted index.
type SparseEncoder interface {
	EncodeQueries(queries [][]int32) ([]retrieval.SparseVector, error)
	EncodeDocs(docs [][]int32) ([]retrieval.SparseVector, error)
	VocabSize() int // terms a vector ranges over
}

var (
	_ TokenEncoder  = (*student.ColBERT)(nil)
	_ SparseEncoder = (*student.SPLADE)(nil)
)
