package tokenizer

// Batch is a batch of token sequences padded to one length, in row-major
// [Size, Len] layout: what ONNX models take, and what the students' tensors
// are built from. Row i of a field is field[i*Len : (i+1)*Len] (see Row).
type Batch struct {
	Size, Len int
	IDs       []int32 // [Size·Len] token ids, padded with the pad id
	TypeIDs   []int32 // [Size·Len] token type ids, padded with 0
	Mask      []int32 // [Size·Len] 1 for real tokens, 0 for padding; real tokens first
	// Tokens is the number of real (not padding) positions.
	Tokens int
}

// Pad right-pads seqs with padID (type id 0, mask 0) into a Batch of length
// Len = max(length, the longest sequence): length ≤ 0 pads to the longest
// (dynamic padding), a fixed length gives every batch the same width. types,
// when not nil, holds the token type ids of each sequence (as long as it);
// nil gives type 0 everywhere. This is the one padding of distill: the
// teacher's ONNX batches, the trainer's triples and the students' pair and
// MLM batches are all padded here.
func Pad(seqs, types [][]int32, length int, padID int32) *Batch {
	l := max(length, 0)
	for _, s := range seqs {
		l = max(l, len(s))
	}
	n := len(seqs) * l
	b := &Batch{Size: len(seqs), Len: l, IDs: make([]int32, n), TypeIDs: make([]int32, n), Mask: make([]int32, n)}
	for i, s := range seqs {
		row := i * l
		copy(b.IDs[row:], s)
		if padID != 0 {
			for j := row + len(s); j < row+l; j++ {
				b.IDs[j] = padID
			}
		}
		if types != nil {
			copy(b.TypeIDs[row:], types[i])
		}
		for j := range s {
			b.Mask[row+j] = 1
		}
		b.Tokens += len(s)
	}
	return b
}

// Row returns row i of field (one of b.IDs, b.TypeIDs, b.Mask): a view, not
// a copy.
func (b *Batch) Row(field []int32, i int) []int32 {
	return field[i*b.Len : (i+1)*b.Len : (i+1)*b.Len]
}

// Rows returns every row of field as views (see Row).
func (b *Batch) Rows(field []int32) [][]int32 {
	rows := make([][]int32, b.Size)
	for i := range rows {
		rows[i] = b.Row(field, i)
	}
	return rows
}
