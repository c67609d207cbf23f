package student

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/tokenizer"
)

// TripleBatch is a batch of training triples, already tokenised (with
// [CLS] … [SEP]) and padded by the caller. Every field is [B][L]: queries
// share one length Lq, documents one length Ld; masks hold 1 for real tokens
// and 0 for padding, real tokens first.
type TripleBatch struct {
	QueryIDs, QueryMask [][]int32
	PosIDs, PosMask     [][]int32
	NegIDs, NegMask     [][]int32
}

// BatchError reports a malformed TripleBatch.
type BatchError struct {
	Field  string
	Row    int
	Reason string
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("student: batch field %s, row %d: %s", e.Field, e.Row, e.Reason)
}

// Validate checks that all fields are rectangular and consistent.
func (b *TripleBatch) Validate() error {
	B := len(b.QueryIDs)
	if B == 0 {
		return &BatchError{Field: "QueryIDs", Reason: "empty batch"}
	}
	check := func(name string, m [][]int32, width int) error {
		if len(m) != B {
			return &BatchError{Field: name, Reason: fmt.Sprintf("%d rows, want %d", len(m), B)}
		}
		for i, r := range m {
			if len(r) != width || width == 0 {
				return &BatchError{Field: name, Row: i, Reason: fmt.Sprintf("%d tokens, want %d", len(r), width)}
			}
		}
		return nil
	}
	lq, ld := len(b.QueryIDs[0]), len(b.PosIDs)
	if ld > 0 {
		ld = len(b.PosIDs[0])
	}
	for _, f := range []struct {
		name  string
		m     [][]int32
		width int
	}{{"QueryIDs", b.QueryIDs, lq}, {"QueryMask", b.QueryMask, lq}, {"PosIDs", b.PosIDs, ld},
		{"PosMask", b.PosMask, ld}, {"NegIDs", b.NegIDs, ld}, {"NegMask", b.NegMask, ld}} {
		if err := check(f.name, f.m, f.width); err != nil {
			return err
		}
	}
	return nil
}

// lengths returns the number of real tokens of each masked row.
func lengths(ids, mask [][]int32) []int {
	n := make([]int, len(ids))
	for i, m := range mask {
		for _, v := range m {
			if v != 0 {
				n[i]++
			}
		}
	}
	return n
}

// padded turns unpadded sequences into ids and mask rows of the longest
// length, padding with pad (tokenizer.Pad).
func padded(seqs [][]int32, pad int32) (ids, mask [][]int32, err error) {
	for i, s := range seqs {
		if len(s) == 0 {
			return nil, nil, &BatchError{Field: "ids", Row: i, Reason: "empty sequence"}
		}
	}
	b := tokenizer.Pad(seqs, nil, 0, pad)
	return b.Rows(b.IDs), b.Rows(b.Mask), nil
}

// intMatrix packs rows into an int tensor [len(rows), width]: where token
// ids become gorgonia's int.
func intMatrix(rows [][]int32) *tensor.Dense { return matrix[int](rows) }

// floatMatrix packs 0/1 rows into a float32 tensor [len(rows), width].
func floatMatrix(rows [][]int32) *tensor.Dense { return matrix[float32](rows) }

// matrix packs rows of one width into a T tensor [len(rows), width].
func matrix[T int | float32](rows [][]int32) *tensor.Dense {
	w := len(rows[0])
	data := make([]T, 0, len(rows)*w)
	for _, r := range rows {
		for _, v := range r {
			data = append(data, T(v))
		}
	}
	return tensor.New(tensor.WithShape(len(rows), w), tensor.WithBacking(data))
}
