package teacher

import (
	"strings"

	"github.com/distill-ml/distill/tokenizer"
)

// hfTokenizer adapts tokenizer.Tokenizer to the teacher's Tokenizer.
type hfTokenizer struct{ t *tokenizer.Tokenizer }

var _ Tokenizer = hfTokenizer{}

func (w hfTokenizer) Tokenize(text string) []int32 { return w.t.Tokenize(text) }

func (w hfTokenizer) BuildPair(a, b []int32, maxLen int) (ids, typeIDs []int32) {
	e := w.t.BuildPair(a, b, maxLen)
	return e.IDs, e.TypeIDs
}

// PadID returns the id of the padding token ([PAD], <pad>, or the padding
// settings' pad_id), 0 when the vocabulary has none.
func (w hfTokenizer) PadID() int32 { return max(w.t.Special().PAD, 0) }

// VocabSize returns one more than the largest token id the tokenizer
// produces (CheckVocabulary compares it with the model's embedding table).
func (w hfTokenizer) VocabSize() int { return w.t.VocabSize() }

// LoadTokenizer loads a Hugging Face tokenizer.json (or a BERT vocab.txt,
// lowercasing) for the teacher.
func LoadTokenizer(path string) (Tokenizer, error) {
	var t *tokenizer.Tokenizer
	var err error
	if strings.HasSuffix(path, ".txt") {
		t, err = tokenizer.LoadVocab(path, true)
	} else {
		t, err = tokenizer.Load(path)
	}
	if err != nil {
		return nil, err
	}
	return hfTokenizer{t}, nil
}

// WrapTokenizer adapts a loaded tokenizer.
func WrapTokenizer(t *tokenizer.Tokenizer) Tokenizer { return hfTokenizer{t} }
