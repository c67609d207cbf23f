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
	Tok                  *tokenizer.Tokenizer
	QueryWidth, DocWidth int // token ids per query / document, [CLS] and [SEP] included
	PadID                int32
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
	return &Encoder{Tok: tok, QueryWidth: maxQueryLength - marker, DocWidth: maxDocLength - marker, PadID: pad}, nil
}

// Query returns the token ids of a query, [CLS] … [SEP], unpadded.
func (e *Encoder) Query(text string) []int32 { return e.Tok.EncodeSingle(text, e.QueryWidth).IDs }

// Doc returns the token ids of a document, [CLS] … [SEP], unpadded.
func (e *Encoder) Doc(text string) []int32 { return e.Tok.EncodeSingle(text, e.DocWidth).IDs }

// Pad pads sequences with PadID to width (tokenizer.Pad) and returns the
// rows and their attention masks.
func (e *Encoder) Pad(seqs [][]int32, width int) (ids, mask [][]int32) {
	b := tokenizer.Pad(seqs, nil, width, e.PadID)
	return b.Rows(b.IDs), b.Rows(b.Mask)
}
