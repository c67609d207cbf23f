package tokenizer

// Encoding is a model input: token ids, token type (segment) ids and the
// attention mask, all int64 because ONNX BERT graphs take int64 tensors. The
// three slices always have the same length.
type Encoding struct {
	IDs           []int64
	TypeIDs       []int64
	AttentionMask []int64
}

// Len returns the number of positions.
func (e *Encoding) Len() int { return len(e.IDs) }

// reset empties e, keeping its storage.
func (e *Encoding) reset(capacity int) {
	e.IDs = grow(e.IDs[:0], capacity)
	e.TypeIDs = grow(e.TypeIDs[:0], capacity)
	e.AttentionMask = grow(e.AttentionMask[:0], capacity)
}

// push appends one real (attended) position.
func (e *Encoding) push(id int32, typeID int64) {
	e.IDs = append(e.IDs, int64(id))
	e.TypeIDs = append(e.TypeIDs, typeID)
	e.AttentionMask = append(e.AttentionMask, 1)
}

// Pad appends padding positions (id padID, type padTypeID, mask 0) on the
// right until e has length positions. An encoding already that long is left
// as it is.
func (e *Encoding) Pad(length int, padID, padTypeID int64) {
	for len(e.IDs) < length {
		e.IDs = append(e.IDs, padID)
		e.TypeIDs = append(e.TypeIDs, padTypeID)
		e.AttentionMask = append(e.AttentionMask, 0)
	}
}

// grow returns s with room for n more elements.
func grow(s []int64, n int) []int64 {
	if cap(s)-len(s) < n {
		t := make([]int64, len(s), len(s)+n)
		copy(t, s)
		return t
	}
	return s
}
