package tokenizer

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// families are the non-BERT test tokenizers of data/tokenizers and their
// Hugging Face reference encodings (testdata/families, see gen_golden.mjs).
var families = []string{"tiny-xlmr-unigram", "tiny-spm-bytefallback", "tiny-roberta-bpe", "tiny-modernbert-bpe"}

// familyCase is one line of testdata/families/<family>.jsonl.gz; a and b
// index texts.json.gz (b -1: a single sequence).
type familyCase struct {
	A, B    int
	MaxLen  int     `json:"max_len"`
	IDs     []int64 `json:"ids"`
	TypeIDs []int64 `json:"type_ids"`
	Mask    []int64 `json:"mask"`
}

func openGzip(tb testing.TB, path string) *gzip.Reader {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return z
}

func readFamilyTexts(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	if err := json.NewDecoder(openGzip(tb, "testdata/families/texts.json.gz")).Decode(&texts); err != nil {
		tb.Fatal(err)
	}
	return texts
}

func readFamilyCases(tb testing.TB, family string) []familyCase {
	tb.Helper()
	var cases []familyCase
	sc := bufio.NewScanner(openGzip(tb, "testdata/families/"+family+".jsonl.gz"))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var c familyCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("%s line %d: %v", family, len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return cases
}

func loadFamily(tb testing.TB, family string) *Tokenizer {
	tb.Helper()
	tok, err := Load("../data/tokenizers/" + family + "/tokenizer.json")
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// TestFamilyGolden compares every reference encoding of each family, pair
// by pair, through EncodeSingle/EncodePair and Tokenize + Build.
func TestFamilyGolden(t *testing.T) {
	texts := readFamilyTexts(t)
	for _, fam := range families {
		t.Run(fam, func(t *testing.T) {
			tok := loadFamily(t, fam)
			cases := readFamilyCases(t, fam)
			if len(cases) < 3000 {
				t.Fatalf("%d cases, want at least 3000", len(cases))
			}
			failed, pairs := 0, 0
			for i, c := range cases {
				a := texts[c.A]
				var viaEncode, viaBuild Encoding
				b := "<single>"
				if c.B < 0 {
					viaEncode = tok.EncodeSingle(a, c.MaxLen)
					viaBuild = tok.BuildSingle(tok.Tokenize(a), c.MaxLen)
				} else {
					b = texts[c.B]
					pairs++
					viaEncode = tok.EncodePair(a, b, c.MaxLen)
					viaBuild = tok.BuildPair(tok.Tokenize(a), tok.Tokenize(b), c.MaxLen)
				}
				for _, got := range []Encoding{viaEncode, viaBuild} {
					if !slices.Equal(got.IDs, c.IDs) || !slices.Equal(got.TypeIDs, c.TypeIDs) || !slices.Equal(got.AttentionMask, c.Mask) {
						failed++
						if failed <= 10 {
							t.Errorf("case %d a=%.80q b=%.80q max_len=%d\n got ids %v\nwant ids %v\n got types %v\nwant types %v\n got tokens %q\nwant tokens %q",
								i+1, a, b, c.MaxLen, got.IDs, c.IDs, got.TypeIDs, c.TypeIDs, tok.Tokens(got.IDs), tok.Tokens(c.IDs))
						}
						break
					}
				}
			}
			if failed > 0 {
				t.Errorf("%d of %d golden cases differ", failed, len(cases))
			}
			t.Logf("%d cases (%d pairs) identical to Hugging Face", len(cases)-failed, pairs)
		})
	}
}
