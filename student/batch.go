package student

import (
	"fmt"

	"gorgonia.org/tensor"
)

// TripleBatch is a batch of training triples, already tokenised (with
// [CLS] … [SEP]) and padded by the caller. Every field is [B][L]: queries
// share one length Lq, documents one length Ld; masks hold 1 for real tokens
// and 0 for padding, real tokens first.
type TripleBatch struct {
	QueryIDs, QueryMask [][]int
	PosIDs, PosMask     [][]int
	NegIDs, NegMask     [][]int
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
	check := func(name string, m [][]int, width int) error {
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
		m     [][]int
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
func lengths(ids, mask [][]int) []int {
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
// length, padding with pad.
func padded(seqs [][]int, pad int) (ids, mask [][]int, err error) {
	width := 0
	for i, s := range seqs {
		if len(s) == 0 {
			return nil, nil, &BatchError{Field: "ids", Row: i, Reason: "empty sequence"}
		}
		width = max(width, len(s))
	}
	ids, mask = make([][]int, len(seqs)), make([][]int, len(seqs))
	for i, s := range seqs {
		ids[i], mask[i] = make([]int, width), make([]int, width)
		for j := range width {
			ids[i][j], mask[i][j] = pad, 0
			if j < len(s) {
				ids[i][j], mask[i][j] = s[j], 1
			}
		}
	}
	return ids, mask, nil
}

// intMatrix packs rows into an int tensor [len(rows), width].
func intMatrix(rows [][]int) *tensor.Dense {
	w := len(rows[0])
	data := make([]int, 0, len(rows)*w)
	for _, r := range rows {
		data = append(data, r...)
	}
	return tensor.New(tensor.WithShape(len(rows), w), tensor.WithBacking(data))
}

// floatMatrix packs 0/1 rows into a float32 tensor [len(rows), width].
func floatMatrix(rows [][]int) *tensor.Dense {
	w := len(rows[0])
	data := make([]float32, 0, len(rows)*w)
	for _, r := range rows {
		for _, v := range r {
			data = append(data, float32(v))
		}
	}
	return tensor.New(tensor.WithShape(len(rows), w), tensor.WithBacking(data))
}
