package tokenizer

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"sync"
	"testing"
)

const bertPath = "../data/tokenizers/bert-base-uncased/tokenizer.json"

// goldenCase is one line of testdata/golden.jsonl (see gen_golden.mjs).
type goldenCase struct {
	A       string  `json:"a"`
	B       *string `json:"b"`
	MaxLen  int     `json:"max_len"`
	IDs     []int64 `json:"ids"`
	TypeIDs []int64 `json:"type_ids"`
	Mask    []int64 `json:"mask"`
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
	var cases []goldenCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var c goldenCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("golden line %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestGolden checks every reference encoding from Hugging Face tokenizers,
// through EncodeSingle/EncodePair and through Tokenize + BuildSingle/BuildPair.
func TestGolden(t *testing.T) {
	tok := loadBERT(t)
	cases := readGolden(t)
	if len(cases) < 2000 {
		t.Fatalf("golden.jsonl has %d cases, want at least 2000", len(cases))
	}
	failed := 0
	for i, c := range cases {
		var viaEncode, viaBuild Encoding
		if c.B == nil {
			viaEncode = tok.EncodeSingle(c.A, c.MaxLen)
			viaBuild = tok.BuildSingle(tok.Tokenize(c.A), c.MaxLen)
		} else {
			viaEncode = tok.EncodePair(c.A, *c.B, c.MaxLen)
			viaBuild = tok.BuildPair(tok.Tokenize(c.A), tok.Tokenize(*c.B), c.MaxLen)
		}
		for _, got := range []Encoding{viaEncode, viaBuild} {
			if !slices.Equal(got.IDs, c.IDs) || !slices.Equal(got.TypeIDs, c.TypeIDs) || !slices.Equal(got.AttentionMask, c.Mask) {
				failed++
				if failed <= 10 {
					b := "<single>"
					if c.B != nil {
						b = *c.B
					}
					t.Errorf("case %d a=%.80q b=%.80q max_len=%d\n got ids %v\nwant ids %v\n got types %v\nwant types %v\n got tokens %q",
						i+1, c.A, b, c.MaxLen, got.IDs, c.IDs, got.TypeIDs, c.TypeIDs, tok.Tokens(got.IDs))
				}
				break
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d golden cases differ", failed, len(cases))
	}
}
