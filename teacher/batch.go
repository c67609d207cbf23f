package teacher

import "github.com/distill-ml/distill/tokenizer"

// Scorer scores batches of pairs: tokenised pairs padded into a
// tokenizer.Batch ([Size, Len] row-major, the layout ONNX models take).
// Score returns one raw score per pair. Implementations are safe for
// concurrent use unless stated otherwise.
type Scorer interface {
	Score(b *tokenizer.Batch) ([]float32, error)
	Close() error
}

// pairEncoding is one tokenised pair before padding.
type pairEncoding struct {
	ids, types []int32
}

// makeBatch pads encodings to the longest of them with padID (type 0, mask 0).
func makeBatch(encs []pairEncoding, padID int32) *tokenizer.Batch {
	ids, types := make([][]int32, len(encs)), make([][]int32, len(encs))
	for i, e := range encs {
		ids[i], types[i] = e.ids, e.types
	}
	return tokenizer.Pad(ids, types, 0, padID)
}
