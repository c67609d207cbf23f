package tokenizer

import (
	"os"
	"slices"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to Parse: it must return a tokenizer or
// an error, never panic, and a tokenizer it returns must encode text.
func FuzzParse(f *testing.F) {
	real, err := os.ReadFile(bertPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	small := `{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"a":3,"##b":4}},` +
		`"normalizer":{"type":"BertNormalizer"},"pre_tokenizer":{"type":"BertPreTokenizer"},` +
		`"post_processor":{"type":"BertProcessing","sep":["[SEP]",2],"cls":["[CLS]",1]}}`
	for _, s := range []string{
		small,
		`{"model":{"vocab":{"[UNK]":0},"max_input_chars_per_word":-1},"pre_tokenizer":{"type":"BertPreTokenizer"}}`,
		`{"model":{"type":"WordPiece","vocab":{"[UNK]":0}},"pre_tokenizer":{"type":"BertPreTokenizer"},"added_tokens":[{"id":5,"content":"x"}]}`,
		`{"model":{"type":"WordPiece","vocab":{"[UNK]":0}},"pre_tokenizer":{"type":"BertPreTokenizer"},"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"q","type_id":3}}],"pair":[],"special_tokens":{"q":{"id":"q","ids":[0,0]}}}}`,
		`{"model":{"type":"BPE","vocab":{},"merges":[]}}`,
		`{"model":{"type":"Unigram","unk_id":0,"vocab":[["<unk>",0],["▁a",-1],["b",-2],["<0x41>",-3]],"byte_fallback":true},` +
			`"normalizer":{"type":"Sequence","normalizers":[{"type":"Precompiled","precompiled_charsmap":"CAAAAAAAAAAAAAAA"},{"type":"Strip","strip_left":true,"strip_right":true},{"type":"Replace","pattern":{"Regex":"x*"},"content":"y"}]},` +
			`"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false},{"type":"Split","pattern":{"String":"b"},"behavior":"MergedWithNext","invert":true}]}}`,
		`{"model":{"type":"BPE","unk_token":"u","fuse_unk":true,"byte_fallback":true,"continuing_subword_prefix":"##","end_of_word_suffix":"</w>","vocab":{"u":0,"a":1,"##b":2,"ab":3,"<0x41>":4},"merges":[["a","##b"]]},` +
			`"pre_tokenizer":{"type":"Sequence","pretokenizers":[]},"normalizer":{"type":"Sequence","normalizers":[]},` +
			`"post_processor":{"type":"Sequence","processors":[{"type":"ByteLevel"},{"type":"RobertaProcessing","sep":["u",0],"cls":["a",1]}]},` +
			`"added_tokens":[{"id":3,"content":"ab","lstrip":true,"rstrip":true,"normalized":true}]}`,
		`{"model":{"type":"WordPiece","vocab":{"[UNK]":2097151}},"pre_tokenizer":{"type":"BertPreTokenizer"}}`,
		`{"model":null}`, `null`, `[]`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range []string{"", "a ab [CLS] Ångström 中文 😀", "\x00\xff"} {
			e := tok.EncodePair(s, s, 8)
			if len(e.IDs) != len(e.TypeIDs) || len(e.IDs) != len(e.AttentionMask) {
				t.Fatalf("ragged encoding %+v", e)
			}
			for _, id := range e.IDs {
				if id < 0 || int(id) >= tok.VocabSize() {
					t.Fatalf("id %d outside vocabulary of %d", id, tok.VocabSize())
				}
			}
		}
	})
}

// FuzzEncode checks encoding invariants on arbitrary strings with the real
// vocabulary: no panic, consistent lengths, the length limit, [CLS]/[SEP]
// framing, Encode = Tokenize + Build, and tokenizing across a space.
func FuzzEncode(f *testing.F) {
	for _, s := range []struct {
		a, b string
		n    int
	}{
		{"", "", 0}, {"hello", "world", 16}, {"Ångström café naïve", "中文 日本語 한국어", 8},
		{"a\u0000b\u200b\ufeff", "x\u00a0y\u202fz\t\n", 5}, {"[CLS][SEP]", "[MASK", 3}, {"\xff\xfe", "\xe4\xb8", 4},
		{"e\u0301\u0308\u0327", "\U00011938\u0130", 64}, {"$+<=>^`|~", "¡¿«»", 1},
	} {
		f.Add(s.a, s.b, s.n)
	}
	tok, err := Load(bertPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b string, maxLen int) {
		maxLen %= 1024
		e := tok.EncodePair(a, b, maxLen)
		n := e.Len()
		if len(e.TypeIDs) != n || len(e.AttentionMask) != n || n < 3 {
			t.Fatalf("bad lengths %d %d %d", n, len(e.TypeIDs), len(e.AttentionMask))
		}
		if maxLen >= 3 && n > maxLen {
			t.Fatalf("length %d exceeds maxLen %d", n, maxLen)
		}
		if e.IDs[0] != 101 || e.IDs[n-1] != 102 {
			t.Fatalf("encoding not framed by [CLS] ... [SEP]: %v", e.IDs)
		}
		for _, id := range e.IDs {
			if id < 0 || int(id) >= tok.VocabSize() {
				t.Fatalf("id %d outside vocabulary", id)
			}
		}
		ta, tb := tok.Tokenize(a), tok.Tokenize(b)
		if built := tok.BuildPair(ta, tb, maxLen); !slices.Equal(built.IDs, e.IDs) || !slices.Equal(built.TypeIDs, e.TypeIDs) {
			t.Fatalf("BuildPair %v != EncodePair %v", built.IDs, e.IDs)
		}
		if joined := tok.Tokenize(a + " " + b); !slices.Equal(joined, append(ta, tb...)) {
			t.Fatalf("Tokenize(a+\" \"+b) = %v, want %v ++ %v", joined, ta, tb)
		}
		s := tok.EncodeSingle(a, maxLen)
		if maxLen >= 2 && s.Len() > maxLen {
			t.Fatalf("single length %d exceeds %d", s.Len(), maxLen)
		}
	})
}

// FuzzPatternMatchers checks the hand-written GPT-2, Llama 3 and Qwen2
// pre-tokenizer matchers on arbitrary text: every match is non-empty, ends
// inside the text and on a character boundary, so splitting always advances.
func FuzzPatternMatchers(f *testing.F) {
	for _, s := range []string{"Hello world", "it's 'RE  \t\n\r\n x", "12345 ١٢٣", "!!!\n\n  ", " \u00a0\u3000x", "\xff\xfe'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, m := range map[string]func([]byte) int{
			"gpt2": gpt2Match, "llama3": knownPattern(llama3Pattern), "qwen2": knownPattern(qwen2Pattern),
		} {
			for k := 0; k < len(s); {
				n := m([]byte(s[k:]))
				if n <= 0 || k+n > len(s) || (k+n < len(s) && !utf8.RuneStart(s[k+n]) && utf8.ValidString(s)) {
					t.Fatalf("%s: match of %d bytes at %d of %q", name, n, k, s)
				}
				k += n
			}
		}
	})
}
