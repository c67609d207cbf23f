package tokenizer

import (
	"compress/gzip"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"sync"
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
	IDs     []int32 `json:"ids"`
	TypeIDs []int32 `json:"type_ids"`
	Mask    []int32 `json:"mask"`
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
	return readJSONLines[familyCase](tb, openGzip(tb, "testdata/families/"+family+".jsonl.gz"), family)
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
			cases := readFamilyCases(t, fam)
			if len(cases) < 3000 {
				t.Fatalf("%d cases, want at least 3000", len(cases))
			}
			checkFamilyCases(t, loadFamily(t, fam), cases, texts)
		})
	}
}

// variant is an edited copy of a test tokenizer (testdata/families/variants.json).
type variant struct {
	Name     string         `json:"name"`
	Base     string         `json:"base"`
	Set      map[string]any `json:"set"`
	SetModel map[string]any `json:"set_model"`
}

// readVariants reads testdata/families/variants.json.
func readVariants(tb testing.TB) []variant {
	tb.Helper()
	data, err := os.ReadFile("testdata/families/variants.json")
	if err != nil {
		tb.Fatal(err)
	}
	var variants []variant
	if err := json.Unmarshal(data, &variants); err != nil {
		tb.Fatal(err)
	}
	return variants
}

// loadVariant parses the variant's base tokenizer.json with its edits.
func loadVariant(tb testing.TB, v variant) *Tokenizer {
	tb.Helper()
	base, err := os.ReadFile("../data/tokenizers/" + v.Base + "/tokenizer.json")
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(base, &m); err != nil {
		tb.Fatal(err)
	}
	maps.Copy(m, v.Set)
	maps.Copy(m["model"].(map[string]any), v.SetModel)
	edited, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := Parse(edited)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// TestVariantGolden checks edited copies of the tokenizers, which reach the
// components and options the four files do not use (WhitespaceSplit,
// Prepend, Split behaviours, normalized added tokens, ignore_merges, ...),
// against Hugging Face's encodings of the same edited files.
func TestVariantGolden(t *testing.T) {
	texts := readFamilyTexts(t)
	variants := readVariants(t)
	if len(variants) < 7 {
		t.Fatalf("%d variants, want at least 7", len(variants))
	}
	for _, v := range variants {
		t.Run(v.Name, func(t *testing.T) {
			tok := loadVariant(t, v)
			if tok.gen == nil {
				t.Fatal("the variant took the BERT fast path, want the general pipeline")
			}
			checkFamilyCases(t, tok, readFamilyCases(t, v.Name), texts)
		})
	}
}

// TestDecodeGolden compares Decode, with and without special tokens, with
// Hugging Face's decode of the same ids, for bert-base-uncased, the four
// families and the variants (decoders WordPiece, Metaspace, ByteLevel,
// BPEDecoder, ByteFallback, Fuse, Strip, Replace, Sequence, and none).
func TestDecodeGolden(t *testing.T) {
	toks := map[string]*Tokenizer{"bert-base-uncased": loadBERT(t)}
	for _, fam := range families {
		toks[fam] = loadFamily(t, fam)
	}
	for _, v := range readVariants(t) {
		toks[v.Name] = loadVariant(t, v)
	}
	for _, name := range slices.Sorted(maps.Keys(toks)) {
		t.Run(name, func(t *testing.T) {
			tok := toks[name]
			type decodeCase struct {
				Case       *int    `json:"case"` // a line of the name's encoding golden
				IDs        []int32 `json:"ids"`
				Text, Skip string
			}
			cases := readJSONLines[decodeCase](t, openGzip(t, "testdata/families/decode-"+name+".jsonl.gz"), name)
			var encodings []familyCase
			if name != "bert-base-uncased" {
				encodings = readFamilyCases(t, name)
			}
			for i, c := range cases {
				if c.Case != nil {
					cases[i].IDs = encodings[*c.Case].IDs
				}
			}
			n, failed := len(cases), 0
			for _, c := range cases {
				for _, skip := range []bool{false, true} {
					want := c.Text
					if skip {
						want = c.Skip
					}
					if got := tok.Decode(c.IDs, skip); got != want {
						if failed++; failed <= 10 {
							t.Errorf("Decode(%v, skip %v)\n got %q\nwant %q", c.IDs, skip, got, want)
						}
					}
				}
			}
			if n < 300 || failed > 0 {
				t.Errorf("%d of %d decodings differ (want at least 300 cases)", failed, 2*n)
			}
		})
	}
}

// checkFamilyCases compares encodings with Hugging Face's, failing on the
// first ten differences.
func checkFamilyCases(t *testing.T, tok *Tokenizer, cases []familyCase, texts []string) {
	t.Helper()
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
}

var familyTokenizers = sync.OnceValues(func() ([]*Tokenizer, error) {
	var out []*Tokenizer
	for _, fam := range families {
		tok, err := Load("../data/tokenizers/" + fam + "/tokenizer.json")
		if err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, nil
})

// FuzzFamilyEncode checks, for every family, on arbitrary strings: no panic,
// ids inside the vocabulary, the length limit, and Encode = Tokenize + Build.
func FuzzFamilyEncode(f *testing.F) {
	for _, s := range []struct {
		a, b string
		n    int
	}{
		{"", "", 0}, {"Hello  world", "▁x ▁▁ Ġ", 16}, {"Ｆｕｌｌ e\u0301 \u200b😀👍🏽 中文", "<mask> <s></s> <0x41>", 8},
		{"\xff\xfe a\r\nb", "\u1100\u1161\u11a8 🇫🇷", 5}, {"it's 're  \t 123", "¡¿«» \u0000", 64},
	} {
		f.Add(s.a, s.b, s.n)
	}
	toks, err := familyTokenizers()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b string, n int) {
		n %= 600
		for k, tok := range toks {
			e := tok.EncodePair(a, b, n)
			built := tok.BuildPair(tok.Tokenize(a), tok.Tokenize(b), n)
			if !slices.Equal(e.IDs, built.IDs) || !slices.Equal(e.TypeIDs, built.TypeIDs) {
				t.Fatalf("%s: EncodePair %v != BuildPair %v", families[k], e.IDs, built.IDs)
			}
			if n >= 4 && e.Len() > n {
				t.Fatalf("%s: %d positions, limit %d", families[k], e.Len(), n)
			}
			for _, id := range e.IDs {
				if id < 0 || int(id) >= tok.VocabSize() {
					t.Fatalf("%s: id %d outside vocabulary of %d", families[k], id, tok.VocabSize())
				}
			}
		}
	})
}
