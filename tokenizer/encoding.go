package tokenizer

// Encoding is a model input: token ids, token type (segment) ids and the
// attention mask. Token ids are int32 everywhere in distill, from Tokenize to
// the students' batches; the type ids and the mask share the type so that
// the three pad and batch alike (see Pad). The three slices always have the
// same length.
type Encoding struct {
	IDs           []int32
	TypeIDs       []int32
	AttentionMask []int32
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
func (e *Encoding) push(id, typeID int32) {
	e.IDs = append(e.IDs, id)
	e.TypeIDs = append(e.TypeIDs, typeID)
	e.AttentionMask = append(e.AttentionMask, 1)
}

// Pad appends padding positions (id padID, type padTypeID, mask 0) on the
// right until e has length positions. An encoding already that long is left
// as it is.
func (e *Encoding) Pad(length int, padID, padTypeID int32) {
	for len(e.IDs) < length {
		e.IDs = append(e.IDs, padID)
		e.TypeIDs = append(e.TypeIDs, padTypeID)
		e.AttentionMask = append(e.AttentionMask, 0)
	}
}

// grow returns s with room for n more elements.
func grow(s []int32, n int) []int32 {
	if cap(s)-len(s) < n {
		t := make([]int32, len(s), len(s)+n)
		copy(t, s)
		return t
	}
	return s
}
