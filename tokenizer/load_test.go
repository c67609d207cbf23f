package tokenizer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// bertJSON returns the bert-base-uncased tokenizer.json decoded as a generic
// map, for tests that edit one component.
func bertJSON(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(bertPath)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// parseEdited applies edit to the bert tokenizer.json and parses the result.
func parseEdited(t *testing.T, edit func(m map[string]any)) (*Tokenizer, error) {
	t.Helper()
	m := bertJSON(t)
	edit(m)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(data)
}

func TestParseRefuses(t *testing.T) {
	model := func(m map[string]any) map[string]any { return m["model"].(map[string]any) }
	cases := []struct {
		name string
		edit func(m map[string]any)
		is   error
		want string
	}{
		{"WordLevel model", func(m map[string]any) { model(m)["type"] = "WordLevel" }, ErrUnsupported,
			`model type "WordLevel" is not supported (supported: WordPiece, Unigram, BPE)`},
		{"BPE dropout", func(m map[string]any) {
			m["model"] = map[string]any{"type": "BPE", "dropout": 0.1, "vocab": map[string]any{"a": 0}, "merges": []any{}}
		}, ErrUnsupported, `BPE dropout "0.1"`},
		{"Unigram without unk_id", func(m map[string]any) { delete(model(m), "type"); model(m)["vocab"] = [][]any{{"a", -1.0}} }, ErrUnsupported,
			`Unigram model "unk_id null"`},
		{"Nmt normalizer", func(m map[string]any) { m["normalizer"] = map[string]any{"type": "Nmt"} }, ErrUnsupported,
			`normalizer "Nmt" is not supported (supported: BertNormalizer, Precompiled,`},
		{"nested unsupported normalizer", func(m map[string]any) {
			m["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{map[string]any{"type": "NFD"}, map[string]any{"type": "ByteLevel"}}}
		}, ErrUnsupported, `normalizer.normalizers[1] "ByteLevel"`},
		{"UnicodeScripts pre-tokenizer", func(m map[string]any) { m["pre_tokenizer"] = map[string]any{"type": "UnicodeScripts"} }, ErrUnsupported,
			`pre_tokenizer "UnicodeScripts" is not supported`},
		{"look-ahead regex", func(m map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `\s+(?!\S)`}, "behavior": "Isolated"}
		}, ErrUnsupported, `pre_tokenizer regex`},
		{"two processors", func(m map[string]any) {
			m["post_processor"] = map[string]any{"type": "Sequence", "processors": []any{m["post_processor"], m["post_processor"]}}
		}, ErrUnsupported, `Sequence of several id-changing processors`},
		{"unknown processor", func(m map[string]any) { m["post_processor"] = map[string]any{"type": "Fancy"} }, ErrUnsupported,
			`post_processor "Fancy" is not supported`},
		{"single_word added token", func(m map[string]any) { m["added_tokens"].([]any)[4].(map[string]any)["single_word"] = true }, ErrUnsupported,
			`added token "[MASK] with single_word=true"`},
		{"bad merge", func(m map[string]any) {
			m["model"] = map[string]any{"type": "BPE", "vocab": map[string]any{"a": 0, "b": 1}, "merges": []any{"a b"}}
		}, ErrInvalid, `merges[0] "a" "b"`},
		{"bad metaspace", func(m map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"}
		}, ErrInvalid, `prepend_scheme "sometimes"`},
		{"bad charsmap", func(m map[string]any) {
			m["normalizer"] = map[string]any{"type": "Precompiled", "precompiled_charsmap": "AAAAAAAA"}
		}, ErrInvalid,
			"trie size 0"},
		{"truncation strategy", func(m map[string]any) { m["truncation"].(map[string]any)["strategy"] = "Middle" }, ErrUnsupported, `truncation strategy "Middle"`},
		{"missing model", func(m map[string]any) { delete(m, "model") }, ErrInvalid, "model is missing"},
		{"empty vocab", func(m map[string]any) { model(m)["vocab"] = map[string]any{} }, ErrInvalid, "vocab is empty"},
		{"unk not in vocab", func(m map[string]any) { model(m)["unk_token"] = "<unk>" }, ErrInvalid, `unk_token "<unk>" is not in the vocabulary`},
		{"negative id", func(m map[string]any) { model(m)["vocab"].(map[string]any)["zzz"] = -3 }, ErrInvalid, `token "zzz" has id -3`},
		{"bad template ref", func(m map[string]any) {
			delete(m["post_processor"].(map[string]any)["special_tokens"].(map[string]any), "[SEP]")
		}, ErrInvalid, `special token "[SEP]" is not in special_tokens`},
		{"bad padding", func(m map[string]any) { m["padding"].(map[string]any)["strategy"] = "Sometimes" }, ErrInvalid, "padding strategy"},
		// Ids are int32: a pad or type id beyond it is refused, not wrapped.
		{"pad_id beyond int32", func(m map[string]any) { m["padding"].(map[string]any)["pad_id"] = 1 << 32 }, ErrInvalid, "pad_id"},
		{"pad_type_id beyond int32", func(m map[string]any) { m["padding"].(map[string]any)["pad_type_id"] = 1<<32 + 1 }, ErrInvalid, "pad_type_id"},
		{"template type_id beyond int32", func(m map[string]any) {
			pp := m["post_processor"].(map[string]any)
			pp["pair"].([]any)[0].(map[string]any)["SpecialToken"].(map[string]any)["type_id"] = 1 << 32
		}, ErrInvalid, "type_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseEdited(t, c.edit)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q (is %v), want it to contain %q and wrap %v", err, errors.Is(err, c.is), c.want, c.is)
			}
		})
	}
}

func TestLoadErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tokenizer.json")
	if err := os.WriteFile(path, []byte(`{"model": {"type": "WordLevel", "vocab": {}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	want := "tokenizer: " + path + `: model type "WordLevel" is not supported (supported: WordPiece, Unigram, BPE)`
	if err == nil || err.Error() != want {
		t.Fatalf("Load error %v, want %s", err, want)
	}
	var fe *FileError
	var ue *UnsupportedError
	if !errors.As(err, &fe) || !errors.As(err, &ue) || ue.Found != "WordLevel" {
		t.Fatalf("error %#v is not a *FileError wrapping *UnsupportedError{Found: WordLevel}", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load of a missing file: %v, want os.ErrNotExist", err)
	}
	if _, err := Parse([]byte("{not json")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Parse of bad JSON: %v, want ErrInvalid", err)
	}
}

// TestEquivalentComponents checks components that behave like BERT's:
// one-element Sequences and BertProcessing give the same encodings.
func TestEquivalentComponents(t *testing.T) {
	ref := loadBERT(t)
	edits := map[string]func(m map[string]any){
		"sequence normalizer": func(m map[string]any) {
			m["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{m["normalizer"]}}
		},
		"sequence pre-tokenizer": func(m map[string]any) {
			m["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{m["pre_tokenizer"]}}
		},
		"BertProcessing": func(m map[string]any) {
			m["post_processor"] = map[string]any{"type": "BertProcessing", "sep": []any{"[SEP]", 102}, "cls": []any{"[CLS]", 101}}
		},
		"untyped model": func(m map[string]any) { delete(m["model"].(map[string]any), "type") },
		"explicit strip_accents": func(m map[string]any) {
			m["normalizer"].(map[string]any)["strip_accents"] = true
		},
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			tok, err := parseEdited(t, edit)
			if err != nil {
				t.Fatal(err)
			}
			a, b := "Ångström café, [SEP] 中文!", "naïve query?"
			for _, maxLen := range []int{0, 8} {
				got, want := tok.EncodePair(a, b, maxLen), ref.EncodePair(a, b, maxLen)
				if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.TypeIDs, want.TypeIDs) {
					t.Fatalf("maxLen %d: got %v %v, want %v %v", maxLen, got.IDs, got.TypeIDs, want.IDs, want.TypeIDs)
				}
			}
		})
	}
}

// TestNormalizerOptions checks cased and accent-keeping configurations
// against Hugging Face's output for the same edited tokenizer.json.
func TestNormalizerOptions(t *testing.T) {
	cases := []struct {
		name      string
		lowercase bool
		strip     any // nil: follow lowercase
		text      string
		want      []int32
	}{
		{"uncased", true, nil, "Café NAÏVE", []int32{7668, 15743}},
		{"lowercase keeps accents", true, false, "naïve ÀB", []int32{100, 100}},
		{"cased", false, nil, "naïve Cafe cafe", []int32{100, 100, 7668}},
		{"cased strips accents", false, true, "naïve Cafe", []int32{15743, 100}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := parseEdited(t, func(m map[string]any) {
				n := m["normalizer"].(map[string]any)
				n["lowercase"] = c.lowercase
				n["strip_accents"] = c.strip
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Tokenize(c.text); !slices.Equal(got, c.want) {
				t.Fatalf("Tokenize(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestAccessors(t *testing.T) {
	tok := loadBERT(t)
	if got := tok.VocabSize(); got != 30522 {
		t.Errorf("VocabSize = %d, want 30522", got)
	}
	want := SpecialIDs{CLS: 101, SEP: 102, PAD: 0, MASK: 103, UNK: 100}
	if got := tok.Special(); got != want {
		t.Errorf("Special = %+v, want %+v", got, want)
	}
	for tokStr, id := range map[string]int32{"[CLS]": 101, "the": 1996, ".": 1012, "##ing": 2075, "[unused0]": 1} {
		if got, ok := tok.TokenToID(tokStr); !ok || got != id {
			t.Errorf("TokenToID(%q) = %d, %t, want %d", tokStr, got, ok, id)
		}
		if got := tok.IDToToken(id); got != tokStr {
			t.Errorf("IDToToken(%d) = %q, want %q", id, got, tokStr)
		}
	}
	if _, ok := tok.TokenToID("not-a-token"); ok {
		t.Error("TokenToID found a missing token")
	}
	if got := tok.IDToToken(30522); got != "" {
		t.Errorf("IDToToken out of range = %q", got)
	}
	punct := map[string]bool{".": true, ",": true, "$": true, "~": true, "¿": true, "「": true, "the": false, "##.": false, "[CLS]": false, "a": false, "€": false}
	for s, want := range punct {
		id, ok := tok.TokenToID(s)
		if !ok {
			t.Fatalf("%q not in vocab", s)
		}
		if got := tok.IsPunctuation(id); got != want {
			t.Errorf("IsPunctuation(%q) = %t, want %t", s, got, want)
		}
	}
	if tok.IsPunctuation(-1) || tok.IsPunctuation(1<<30) {
		t.Error("IsPunctuation true outside the vocabulary")
	}
	data, _ := os.ReadFile(bertPath)
	sum := sha256.Sum256(data)
	if got := tok.SHA256(); got != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s", got)
	}
	tr, ok := tok.Truncation()
	if !ok || tr != (Truncation{MaxLength: 128, Strategy: LongestFirst, Direction: Right}) {
		t.Errorf("Truncation = %+v, %t", tr, ok)
	}
	pad, ok := tok.Padding()
	if !ok || pad != (Padding{Fixed: 128, Direction: Right, PadToken: "[PAD]"}) {
		t.Errorf("Padding = %+v, %t", pad, ok)
	}
}

// TestLoadVocab writes bert's vocabulary as vocab.txt and checks that the
// BERT defaults reproduce the tokenizer.json encodings.
func TestLoadVocab(t *testing.T) {
	ref := loadBERT(t)
	lines := make([]string, ref.VocabSize())
	for id := range lines {
		lines[id] = ref.IDToToken(int32(id))
	}
	path := filepath.Join(t.TempDir(), "vocab.txt")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tok, err := LoadVocab(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tok.Truncation(); ok {
		t.Error("vocab.txt tokenizer reports truncation settings")
	}
	if tok.Special() != ref.Special() || tok.VocabSize() != ref.VocabSize() {
		t.Errorf("Special %+v size %d, want %+v %d", tok.Special(), tok.VocabSize(), ref.Special(), ref.VocabSize())
	}
	for _, c := range readGolden(t)[:400] {
		var got, want Encoding
		if c.B == nil {
			got, want = tok.EncodeSingle(c.A, c.MaxLen), ref.EncodeSingle(c.A, c.MaxLen)
		} else {
			got, want = tok.EncodePair(c.A, *c.B, c.MaxLen), ref.EncodePair(c.A, *c.B, c.MaxLen)
		}
		if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.TypeIDs, want.TypeIDs) {
			t.Fatalf("%.60q: vocab.txt gives %v, tokenizer.json %v", c.A, got.IDs, want.IDs)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	if _, err := LoadVocab(empty, true); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty vocab: %v, want ErrInvalid", err)
	}
	noCLS := filepath.Join(t.TempDir(), "nocls.txt")
	os.WriteFile(noCLS, []byte("[UNK]\na\n"), 0o644)
	if _, err := LoadVocab(noCLS, true); !errors.Is(err, ErrInvalid) {
		t.Errorf("vocab without [CLS]: %v, want ErrInvalid", err)
	}
}
