package training

import (
	"fmt"
	"slices"

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

// NewEncoder returns the Encoder of a student kind ("colbert" or "splade")
// with the given input lengths.
func NewEncoder(tok *tokenizer.Tokenizer, kind string, maxQueryLength, maxDocLength int) (*Encoder, error) {
	marker := 0
	switch kind {
	case "colbert":
		marker = 1
	case "splade", "crossencoder":
	default:
		return nil, fmt.Errorf("%w: student kind %q", ErrConfig, kind)
	}
	pad := tok.Special().PAD
	if pad < 0 {
		return nil, fmt.Errorf("training: the tokenizer has no [PAD] token")
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

// pad returns ids padded with PadID to width and its attention mask.
func (e *Encoder) pad(ids []int, width int) (row, mask []int) {
	row, mask = make([]int, width), make([]int, width)
	for j := range width {
		row[j] = e.PadID
		if j < len(ids) {
			row[j], mask[j] = ids[j], 1
		}
	}
	return row, mask
}

// studentConfig returns the student configuration of c for the tokenizer:
// the vocabulary size, ColBERT's marker, [MASK] and [PAD] ids and its
// punctuation skiplist come from tok.
func studentConfig(c Config, tok *tokenizer.Tokenizer) (student.Config, error) {
	enc := student.EncoderConfig{VocabSize: tok.VocabSize(), Hidden: c.Hidden, Layers: c.Layers, Heads: c.Heads,
		FFN: c.FFN, MaxPosition: c.MaxPosition, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenDropout: c.Dropout}
	sp := tok.Special()
	switch c.Arch {
	case "colbert":
		cb := student.DefaultColBERT(enc)
		cb.Dim, cb.QueryLength = c.Dim, c.MaxQueryLength
		q, okQ := tok.TokenToID("[unused0]")
		d, okD := tok.TokenToID("[unused1]")
		if !okQ || !okD {
			return student.Config{}, fmt.Errorf("training: colbert: the tokenizer lacks [unused0]/[unused1] for the [Q]/[D] markers")
		}
		if sp.MASK < 0 || sp.PAD < 0 {
			return student.Config{}, fmt.Errorf("training: colbert: the tokenizer lacks [MASK] or [PAD]")
		}
		cb.QueryMarkerID, cb.DocMarkerID, cb.MaskID, cb.PadID = q, d, sp.MASK, sp.PAD
		cb.SkipIDs = colbertSkiplist(tok)
		return student.Config{Kind: "colbert", ColBERT: &cb}, nil
	case "splade":
		s := student.DefaultSPLADE(enc)
		s.PadID = max(sp.PAD, 0)
		return student.Config{Kind: "splade", SPLADE: &s}, nil
	case "crossencoder":
		ce := student.DefaultCrossEncoder(enc)
		ce.PadID = max(sp.PAD, 0)
		return student.Config{Kind: "crossencoder", CrossEncoder: &ce}, nil
	}
	return student.Config{}, fmt.Errorf("%w: arch %q", ErrConfig, c.Arch)
}

// pythonPunctuation is Python's string.punctuation, the characters whose
// document tokens ColBERT and PyLate leave out of MaxSim.
const pythonPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// colbertSkiplist returns the ids of the tokens that are one character of
// Python's string.punctuation (32 with BERT's vocabulary), as ColBERT's
// skiplist and PyLate's skiplist_words; not every token of BERT's wider
// punctuation class (92 with ¡, §, « and the like).
func colbertSkiplist(tok *tokenizer.Tokenizer) []int {
	var ids []int
	for _, r := range pythonPunctuation {
		if id, ok := tok.TokenToID(string(r)); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
