package teacher

// Batch is a padded batch of tokenised pairs in row-major [Size, Len] layout,
// the layout ONNX models take.
type Batch struct {
	Size, Len int
	InputIDs  []int64
	TypeIDs   []int64
	Mask      []int64
	// Tokens is the number of non-padding tokens (for padding statistics).
	Tokens int
}

// Scorer scores batches of pairs. Score returns one raw score per pair.
// Implementations are safe for concurrent use unless stated otherwise.
type Scorer interface {
	Score(b *Batch) ([]float32, error)
	Close() error
}

// pairEncoding is one tokenised pair before padding.
type pairEncoding struct {
	ids, types []int64
}

// makeBatch pads encodings to the longest of them with padID (type 0, mask 0).
func makeBatch(encs []pairEncoding, padID int64) *Batch {
	l := 0
	for _, e := range encs {
		l = max(l, len(e.ids))
	}
	b := &Batch{Size: len(encs), Len: l,
		InputIDs: make([]int64, len(encs)*l), TypeIDs: make([]int64, len(encs)*l), Mask: make([]int64, len(encs)*l)}
	for i, e := range encs {
		row := i * l
		copy(b.InputIDs[row:], e.ids)
		for j := row + len(e.ids); j < row+l && padID != 0; j++ {
			b.InputIDs[j] = padID
		}
		copy(b.TypeIDs[row:], e.types)
		for j := range e.ids {
			b.Mask[row+j] = 1
		}
		b.Tokens += len(e.ids)
	}
	return b
}
