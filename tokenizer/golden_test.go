package tokenizer

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"sync"
	"testing"
)

const bertPath = "../data/tokenizers/bert-base-uncased/tokenizer.json"

// goldenCase is one line of testdata/golden.jsonl (see gen_golden.mjs).
type goldenCase struct {
	A       string  `json:"a"`
	B       *string `json:"b"`
	MaxLen  int     `json:"max_len"`
	IDs     []int32 `json:"ids"`
	TypeIDs []int32 `json:"type_ids"`
	Mask    []int32 `json:"mask"`
}

var bert = sync.OnceValues(func() (*Tokenizer, error) { return Load(bertPath) })

// loadBERT returns the shared bert-base-uncased tokenizer.
func loadBERT(tb testing.TB) *Tokenizer {
	tb.Helper()
	tok, err := bert()
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func readGolden(t *testing.T) []goldenCase {
	t.Helper()
	f, err := os.Open("testdata/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readJSONLines[goldenCase](t, f, "golden.jsonl")
}

// readJSONLines decodes one T per line of r (named name in errors).
func readJSONLines[T any](tb testing.TB, r io.Reader, name string) []T {
	tb.Helper()
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			tb.Fatalf("%s line %d: %v", name, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return out
}

// TestGolden checks every reference encoding from Hugging Face tokenizers,
// through EncodeSingle/EncodePair and through Tokenize + BuildSingle/BuildPair.
func TestGolden(t *testing.T) {
	tok := loadBERT(t)
	cases := readGolden(t)
	if len(cases) < 2000 {
		t.Fatalf("golden.jsonl has %d cases, want at least 2000", len(cases))
	}
	// As the family goldens: texts in one list, cases pointing into it.
	var texts []string
	var indexed []familyCase
	for _, c := range cases {
		ic := familyCase{A: len(texts), B: -1, MaxLen: c.MaxLen, IDs: c.IDs, TypeIDs: c.TypeIDs, Mask: c.Mask}
		texts = append(texts, c.A)
		if c.B != nil {
			ic.B = len(texts)
			texts = append(texts, *c.B)
		}
		indexed = append(indexed, ic)
	}
	checkFamilyCases(t, tok, indexed, texts)
}
