package training

import (
	"testing"

	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// TestColBERTSkiplistIsPythonPunctuation: the skiplist is the ids of
// string.punctuation's 32 characters in BERT's vocabulary, as ColBERT and
// PyLate build it, not BERT's 92-token punctuation class.
func TestColBERTSkiplistIsPythonPunctuation(t *testing.T) {
	tok, err := tokenizer.Load(bertTokPath)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Arch = student.KindColBERT
	sc, err := studentConfig(c, tok)
	if err != nil {
		t.Fatal(err)
	}
	ids := sc.ColBERT.SkipIDs
	if len(ids) != 32 {
		t.Fatalf("%d skip ids, want 32", len(ids))
	}
	in := map[int32]bool{}
	for _, id := range ids {
		in[id] = true
	}
	for _, w := range []string{",", ".", "!", "~", "\\\\", "`", "\"", "'"} {
		if id, ok := tok.TokenToID(w[len(w)-1:]); !ok || !in[id] {
			t.Errorf("%q (id %d) not skipped", w[len(w)-1:], id)
		}
	}
	for _, w := range []string{"¡", "§", "«", "the"} {
		if id, ok := tok.TokenToID(w); ok && in[id] {
			t.Errorf("%q skipped: not in string.punctuation", w)
		}
	}
}
