package bm25

import "unicode"

// wbClass is the simplified UAX#29 Word_Break property the tokenizer uses.
type wbClass uint8

const (
	wbOther        wbClass = iota // spaces, punctuation, symbols: never part of a token
	wbLetter                      // ALetter (incl. Hangul and Southeast Asian scripts)
	wbNumeric                     // decimal digits
	wbKatakana                    // Katakana runs
	wbIdeographic                 // Han and Hiragana: one token per character
	wbExtendNumLet                // connector punctuation such as '_'
	wbMidLetter                   // ':' '·' and kin: joins letters only
	wbMidNum                      // ',' ';' and kin: joins digits only
	wbMidNumLet                   // '.' '’' and kin: joins letters or digits
	wbSingleQuote                 // '\'': joins letters or digits
	wbExtend                      // combining marks, format characters, ZWJ: glued to the left
)

// classify returns the word-break class of r.
func classify(r rune) wbClass {
	if r < 0x80 {
		return asciiClass[r]
	}
	switch r {
	case 0x200B: // ZERO WIDTH SPACE is Cf but not Word_Break=Format
		return wbOther
	case 0x00B7, 0x0387, 0x05F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A:
		return wbMidLetter
	case 0x037E, 0x0589, 0x060C, 0x060D, 0x066C, 0x07F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B:
		return wbMidNum
	case 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E:
		return wbMidNumLet
	case 0x30FC, 0x309B, 0x309C, 0x30A0, 0xFF70:
		return wbKatakana
	}
	switch {
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r):
		return wbIdeographic
	case unicode.Is(unicode.Katakana, r):
		return wbKatakana
	case unicode.IsLetter(r):
		return wbLetter
	case unicode.IsDigit(r):
		return wbNumeric
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Cf):
		return wbExtend
	case unicode.Is(unicode.Pc, r):
		return wbExtendNumLet
	}
	return wbOther
}

// asciiClass is classify for ASCII.
var asciiClass = func() (t [0x80]wbClass) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = wbLetter
		t[c-'a'+'A'] = wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbNumeric
	}
	t['_'] = wbExtendNumLet
	t[':'] = wbMidLetter
	t[','] = wbMidNum
	t[';'] = wbMidNum
	t['.'] = wbMidNumLet
	t['\''] = wbSingleQuote
	return t
}()

// joins reports whether a character of class b continues a word whose last
// non-Extend character has class a (UAX#29 rules WB5, WB8-WB10, WB13-WB13b).
func joins(a, b wbClass) bool {
	switch b {
	case wbLetter, wbNumeric:
		return a == wbLetter || a == wbNumeric || a == wbExtendNumLet
	case wbKatakana:
		return a == wbKatakana || a == wbExtendNumLet
	case wbExtendNumLet:
		return a == wbLetter || a == wbNumeric || a == wbKatakana || a == wbExtendNumLet
	}
	return false
}

// bridges reports whether the middle character mid joins a and c, as in
// "can't", "e.g", "3.5" and "1,000" (UAX#29 rules WB6, WB7, WB11, WB12).
func bridges(a, mid, c wbClass) bool {
	switch {
	case a == wbLetter && c == wbLetter:
		return mid == wbMidLetter || mid == wbMidNumLet || mid == wbSingleQuote
	case a == wbNumeric && c == wbNumeric:
		return mid == wbMidNum || mid == wbMidNumLet || mid == wbSingleQuote
	}
	return false
}
