package training

import (
	"fmt"
	"slices"

	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// studentConfig returns the student configuration of c for the tokenizer:
// the vocabulary size, ColBERT's marker, [MASK] and [PAD] ids and its
// punctuation skiplist come from tok.
func studentConfig(c Config, tok *tokenizer.Tokenizer) (student.Config, error) {
	enc := student.EncoderConfig{VocabSize: tok.VocabSize(), Hidden: c.Hidden, Layers: c.Layers, Heads: c.Heads,
		FFN: c.FFN, MaxPosition: c.MaxPosition, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenDropout: c.Dropout}
	sp := tok.Special()
	switch c.Arch {
	case student.KindColBERT:
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
		return student.Config{Kind: student.KindColBERT, ColBERT: &cb}, nil
	case student.KindSPLADE:
		s := student.DefaultSPLADE(enc)
		s.PadID = max(sp.PAD, 0)
		return student.Config{Kind: student.KindSPLADE, SPLADE: &s}, nil
	case student.KindCrossEncoder:
		ce := student.DefaultCrossEncoder(enc)
		ce.PadID = max(sp.PAD, 0)
		return student.Config{Kind: student.KindCrossEncoder, CrossEncoder: &ce}, nil
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
func colbertSkiplist(tok *tokenizer.Tokenizer) []int32 {
	var ids []int32
	for _, r := range pythonPunctuation {
		if id, ok := tok.TokenToID(string(r)); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
