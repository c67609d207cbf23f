package tokenizer

// Padding holds the padding settings of a tokenizer.json, for callers that
// batch encodings; the Encode methods never pad. Pad an encoding with
// Encoding.Pad(length, p.PadID, p.PadTypeID), or a batch with
// Pad.
type Padding struct {
	Fixed           int // pad every encoding to this length; 0 means pad to the batch's longest
	Direction       Direction
	PadToMultipleOf int // 0 when unset
	PadID           int32
	PadTypeID       int32
	PadToken        string
}
