package tokenizer

import "unicode"

// Character classes used by the BERT normalizer and pre-tokenizer. They follow
// Hugging Face tokenizers (normalizers/bert.rs, pre_tokenizers/bert.rs), which
// take Rust's char::is_whitespace and the unicode_categories crate; where that
// crate's older Unicode tables disagree with Go's, the tables in
// chars_compat.go record the difference so ids stay identical.

// asciiClass holds the class of each ASCII byte for the fast path.
var asciiClass = func() (t [128]uint8) {
	for c := 0; c < 128; c++ {
		switch {
		case c == '\t' || c == '\n' || c == '\r' || c == ' ':
			t[c] = classSpace
		case c < 0x20 || c == 0x7f:
			t[c] = classControl
		case isASCIIPunct(rune(c)):
			t[c] = classPunct
		default:
			t[c] = classWord
		}
	}
	return t
}()

// Classes of a character after normalization.
const (
	classWord    uint8 = iota // part of a word
	classSpace                // whitespace: ends a word and is dropped
	classControl              // removed by clean_text
	classPunct                // punctuation: a word of its own
)

// isASCIIPunct reports ASCII 33-47, 58-64, 91-96 and 123-126, the ranges of
// Rust's char::is_ascii_punctuation (which include symbols such as $ + < = > ^ ` |).
func isASCIIPunct(r rune) bool {
	return (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126)
}

// isWhitespace is BertNormalizer's is_whitespace: tab, newline, carriage
// return and every character with the Unicode White_Space property.
func isWhitespace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || (r >= '\t' && r <= '\r')
	}
	return unicode.IsSpace(r)
}

// isControl is BertNormalizer's is_control: categories Cc, Cf and Co
// (unassigned code points are kept), except tab, newline and carriage return.
func isControl(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	if inTable(r, compatOther) {
		return true
	}
	if inTable(r, compatNotOther) {
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co)
}

// isPunct is BertPreTokenizer's is_bert_punc: ASCII punctuation ranges or a
// Unicode P* category.
func isPunct(r rune) bool {
	if r < 0x80 {
		return isASCIIPunct(r)
	}
	if inTable(r, compatPunct) {
		return true
	}
	if inTable(r, compatNotPunct) {
		return false
	}
	return unicode.IsPunct(r)
}

// isNonspacingMark reports category Mn, the marks strip_accents removes after NFD.
func isNonspacingMark(r rune) bool {
	if inTable(r, compatMn) {
		return true
	}
	if inTable(r, compatNotMn) {
		return false
	}
	return unicode.Is(unicode.Mn, r)
}

// isChinese reports the CJK ideograph blocks BertNormalizer surrounds with
// spaces. The ranges are Hugging Face's, including its 0x2B920 lower bound.
func isChinese(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF,
		r >= 0x3400 && r <= 0x4DBF,
		r >= 0x20000 && r <= 0x2A6DF,
		r >= 0x2A700 && r <= 0x2B73F,
		r >= 0x2B740 && r <= 0x2B81F,
		r >= 0x2B920 && r <= 0x2CEAF,
		r >= 0xF900 && r <= 0xFAFF,
		r >= 0x2F800 && r <= 0x2FA1F:
		return true
	}
	return false
}

// appendLower appends Rust's char::to_lowercase of r, as Hugging Face
// applies it one character at a time: Go's simple mapping, except U+0130 (İ),
// whose full lowercase mapping is two characters, and mappings newer than
// Go's tables.
func appendLower(dst []rune, r rune) []rune {
	if r == 0x130 {
		return append(dst, 'i', 0x307)
	}
	if l, ok := compatLower[r]; ok {
		return append(dst, l)
	}
	return append(dst, unicode.ToLower(r))
}

// inTable reports whether r lies in one of the sorted, inclusive ranges.
func inTable(r rune, table [][2]rune) bool {
	lo, hi := 0, len(table)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case r < table[m][0]:
			hi = m
		case r > table[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}
