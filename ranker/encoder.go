package ranker

import (
	"errors"
	"fmt"

	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// Encoder turns text into a student's input token ids: [CLS] text [SEP],
// truncated so that the model sees at most MaxQueryLength / MaxDocLength
// positions. ColBERT inserts its [Q] / [D] marker itself (and pads queries
// with [MASK]), so for ColBERT one position is left for the marker.
// Training, validation and reranking all encode through it.
//
// An Encoder is safe for concurrent use.
type Encoder struct {
	Tok                          *tokenizer.Tokenizer
	QueryWidth, DocWidth         int // token ids per query / document, [CLS] and [SEP] included
	PadID                        int
	maxQueryLength, maxDocLength int
}

// ErrKind is returned (wrapped) for a student kind ranker cannot encode,
// score or load.
var ErrKind = errors.New("ranker: unsupported student kind")

// NewEncoder returns the Encoder of a student kind with the given input
// lengths.
func NewEncoder(tok *tokenizer.Tokenizer, kind student.Kind, maxQueryLength, maxDocLength int) (*Encoder, error) {
	marker := 0
	switch kind {
	case student.KindColBERT:
		marker = 1
	case student.KindSPLADE, student.KindCrossEncoder:
	default:
		return nil, fmt.Errorf("%w: %q", ErrKind, kind)
	}
	pad := tok.Special().PAD
	if pad < 0 {
		return nil, fmt.Errorf("ranker: the tokenizer has no [PAD] token")
	}
	return &Encoder{Tok: tok, QueryWidth: maxQueryLength - marker, DocWidth: maxDocLength - marker, PadID: pad,
		maxQueryLength: maxQueryLength, maxDocLength: maxDocLength}, nil
}

// Query returns the token ids of a query, [CLS] … [SEP], unpadded.
func (e *Encoder) Query(text string) []int { return e.encode(text, e.QueryWidth) }

// Doc returns the token ids of a document, [CLS] … [SEP], unpadded.
func (e *Encoder) Doc(text string) []int { return e.encode(text, e.DocWidth) }

func (e *Encoder) encode(text string, width int) []int {
	enc := e.Tok.EncodeSingle(text, width)
	ids := make([]int, len(enc.IDs))
	for i, id := range enc.IDs {
		ids[i] = int(id)
	}
	return ids
}

// Pad returns ids padded with PadID to width and its attention mask.
func (e *Encoder) Pad(ids []int, width int) (row, mask []int) {
	row, mask = make([]int, width), make([]int, width)
	for j := range width {
		row[j] = e.PadID
		if j < len(ids) {
			row[j], mask[j] = ids[j], 1
		}
	}
	return row, mask
}
