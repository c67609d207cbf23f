package student

import (
	"fmt"

	"github.com/distill-ml/distill/tokenizer"
)

// PairBatch is a batch of query–document pairs for the cross-encoder, each
// row one sequence "[CLS] q [SEP] d [SEP]" padded by the caller (see
// JoinPair and NewPairBatch). Every field is [B][L]: TypeIDs holds 0 for the
// query segment ([CLS] q [SEP]) and 1 for the document segment (d [SEP]),
// nil meaning 0 everywhere; Mask holds 1 for real tokens and 0 for padding,
// real tokens first.
type PairBatch struct {
	IDs, TypeIDs, Mask [][]int32
}

// Validate checks that the fields are rectangular, of one width, and that
// every row has a real first token.
func (b *PairBatch) Validate() error {
	if len(b.IDs) == 0 || len(b.IDs[0]) == 0 {
		return &BatchError{Field: "IDs", Reason: "empty batch"}
	}
	B, L := len(b.IDs), len(b.IDs[0])
	for _, f := range []struct {
		name string
		m    [][]int32
	}{{"IDs", b.IDs}, {"TypeIDs", b.TypeIDs}, {"Mask", b.Mask}} {
		if f.m == nil && f.name == "TypeIDs" {
			continue
		}
		if len(f.m) != B {
			return &BatchError{Field: f.name, Reason: fmt.Sprintf("%d rows, want %d", len(f.m), B)}
		}
		for i, r := range f.m {
			if len(r) != L {
				return &BatchError{Field: f.name, Row: i, Reason: fmt.Sprintf("%d tokens, want %d", len(r), L)}
			}
		}
	}
	for i, r := range b.Mask {
		if r[0] == 0 {
			return &BatchError{Field: "Mask", Row: i, Reason: "no real token first"}
		}
	}
	return nil
}

// types returns TypeIDs, or zeros of the batch's shape when nil.
func (b *PairBatch) types() [][]int32 {
	if b.TypeIDs != nil {
		return b.TypeIDs
	}
	z := make([][]int32, len(b.IDs))
	for i := range z {
		z[i] = make([]int32, len(b.IDs[0]))
	}
	return z
}

// JoinPair joins a query and a document, each token ids with [CLS] and
// [SEP] as the tokenizer encodes a single text, into the cross-encoder's
// sequence "[CLS] q [SEP] d [SEP]" with token types 0 for "[CLS] q [SEP]"
// and 1 for "d [SEP]". When the pair exceeds maxLen tokens (maxLen ≤ 0: no
// limit) q and d are cut by the tokenizer's own longest-first truncation
// (tokenizer.JoinSingles), so the result equals the tokenizer's pair
// encoding of the same texts.
func JoinPair(query, doc []int32, maxLen int) (ids, types []int32) {
	e := tokenizer.JoinSingles(query, doc, maxLen)
	return e.IDs, e.TypeIDs
}

// NewPairBatch joins queries[i] with docs[i] (see JoinPair) and pads the
// pairs with padID to the longest of them.
func NewPairBatch(queries, docs [][]int32, maxLen int, padID int32) (*PairBatch, error) {
	if len(queries) != len(docs) || len(queries) == 0 {
		return nil, &BatchError{Field: "docs", Reason: fmt.Sprintf("%d queries and %d documents, want the same non-zero number", len(queries), len(docs))}
	}
	for i := range queries {
		if len(queries[i]) < 2 || len(docs[i]) < 2 {
			return nil, &BatchError{Field: "ids", Row: i, Reason: "a query or document without [CLS] and [SEP]"}
		}
	}
	return joinPairs(queries, docs, maxLen, 0, padID), nil
}

// joinPairs joins queries[i] with docs[i] (JoinPair, cut to maxLen) and pads
// the pairs with padID to width (0: the longest pair).
func joinPairs(queries, docs [][]int32, maxLen, width int, padID int32) *PairBatch {
	seqs, types := make([][]int32, len(queries)), make([][]int32, len(queries))
	for i := range queries {
		seqs[i], types[i] = JoinPair(queries[i], docs[i], maxLen)
	}
	b := tokenizer.Pad(seqs, types, width, padID)
	return &PairBatch{IDs: b.Rows(b.IDs), TypeIDs: b.Rows(b.TypeIDs), Mask: b.Rows(b.Mask)}
}
