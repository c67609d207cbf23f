package bm25

import (
	"slices"
	"strings"
	"testing"
)

// tokens returns the raw tokens of text.
func tokens(text string) []string {
	var out []string
	tokenize(text, func(start, end int) { out = append(out, text[start:end]) })
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"empty", "", nil},
		{"spaces and punctuation only", "  -- ... !? ", nil},
		{"words", "Hello, World!", []string{"Hello", "World"}},
		{"internal apostrophe", "don't can't rock'n'roll", []string{"don't", "can't", "rock'n'roll"}},
		{"leading and trailing quotes", "'quoted' James' car", []string{"quoted", "James", "car"}},
		{"curly apostrophe", "O\u2019Neil\u2019s", []string{"O\u2019Neil\u2019s"}},
		{"acronym with periods", "the U.S.A. and e.g. this", []string{"the", "U.S.A", "and", "e.g", "this"}},
		{"sentence end", "end. Next", []string{"end", "Next"}},
		{"decimal", "pi is 3.14159.", []string{"pi", "is", "3.14159"}},
		{"thousands", "1,000 and 1,000,000.50", []string{"1,000", "and", "1,000,000.50"}},
		{"comma between words splits", "red,green", []string{"red", "green"}},
		{"ip address", "192.168.0.1", []string{"192.168.0.1"}},
		{"letters and digits", "mp3 v1.2 3.5km 2nd", []string{"mp3", "v1.2", "3.5km", "2nd"}},
		{"hyphen splits", "e-mail well-known", []string{"e", "mail", "well", "known"}},
		{"slash and symbols", "and/or $100 50% #tag @user", []string{"and", "or", "100", "50", "tag", "user"}},
		{"underscore joins", "snake_case __init__ ___", []string{"snake_case", "__init__"}},
		{"colon between letters", "a:b 10:30", []string{"a:b", "10", "30"}},
		{"unicode letters", "Ärger über Straße naïve café", []string{"Ärger", "über", "Straße", "naïve", "café"}},
		{"combining mark", "cafe\u0301 ok", []string{"cafe\u0301", "ok"}},
		{"soft hyphen", "co\u00adoperate", []string{"co\u00adoperate"}},
		{"zero width space splits", "foo\u200bbar", []string{"foo", "bar"}},
		{"greek and cyrillic", "Αθήνα Москва", []string{"Αθήνα", "Москва"}},
		{"han one per character", "北京大学", []string{"北", "京", "大", "学"}},
		{"hiragana one per character", "ひらがな", []string{"ひ", "ら", "が", "な"}},
		{"katakana run", "カタカナ テスト", []string{"カタカナ", "テスト"}},
		{"mixed scripts", "Tokyo東京", []string{"Tokyo", "東", "京"}},
		{"invalid utf8 splits", "ab\xffcd", []string{"ab", "cd"}},
		{"newlines and tabs", "a\tb\nc\r\nd", []string{"a", "b", "c", "d"}},
		{"apostrophe after digits splits", "80's", []string{"80", "s"}},
		{"period before digit after letter", "a.3", []string{"a", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokens(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokenizeSplitsLongTokens(t *testing.T) {
	long := strings.Repeat("ab", 300) // 600 characters
	got := tokens("x " + long + " y")
	want := []string{"x", long[:255], long[255:510], long[510:], "y"}
	if !slices.Equal(got, want) {
		t.Errorf("got %d tokens with lengths %v", len(got), lengths(got))
	}
	wide := strings.Repeat("é", 300) // 2 bytes each: split by characters, not bytes
	got = tokens(wide)
	if len(got) != 2 || got[0] != strings.Repeat("é", 255) || got[1] != strings.Repeat("é", 45) {
		t.Errorf("got %d tokens with byte lengths %v", len(got), lengths(got))
	}
}

func lengths(s []string) []int {
	n := make([]int, len(s))
	for i := range s {
		n[i] = len(s[i])
	}
	return n
}
