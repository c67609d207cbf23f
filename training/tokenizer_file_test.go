package training

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/distill-ml/distill/tokenizer"
)

// TestPortableTokenizer: the checkpoint's tokenizer.json has no fixed
// padding or truncation, and encodes exactly as the training tokenizer.
func TestPortableTokenizer(t *testing.T) {
	raw, err := os.ReadFile(bertTokPath)
	if err != nil {
		t.Fatal(err)
	}
	out := portableTokenizer(raw)
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if v, ok := doc["padding"]; !ok || v != nil {
		t.Errorf("padding %v, want null", v)
	}
	if v, ok := doc["truncation"]; !ok || v != nil {
		t.Errorf("truncation %v, want null", v)
	}
	a, err := tokenizer.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tokenizer.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	text := "Hello, world! The cross-encoder reads [SEP] 12,000 tokens."
	ea, eb := a.Tokenize(text), b.Tokenize(text)
	if len(ea) == 0 || fmt.Sprint(ea) != fmt.Sprint(eb) || a.VocabSize() != b.VocabSize() {
		t.Fatalf("encodings differ: %v vs %v", ea, eb)
	}
	if _, ok := a.Padding(); !ok {
		t.Fatal("the shipped BERT tokenizer.json should pad (the case this handles)")
	}
	if _, ok := b.Padding(); ok {
		t.Error("the checkpoint's tokenizer still pads")
	}
	if _, ok := b.Truncation(); ok {
		t.Error("the checkpoint's tokenizer still truncates")
	}
	if string(portableTokenizer(out)) != string(out) {
		t.Error("a portable tokenizer is not returned as it is")
	}
}
