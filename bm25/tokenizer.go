package bm25

import "unicode/utf8"

// MaxTokenLength is the longest token, in characters, that the tokenizer
// emits; longer runs are split into pieces of this length, as Lucene's
// StandardTokenizer does with its default maxTokenLength.
const MaxTokenLength = 255

// tokenize calls emit with the byte offsets [start, end) of each token of
// text, in order, following Lucene's StandardTokenizer: a simplified
// Unicode word segmentation (UAX#29) that keeps only segments holding a
// letter or a digit.
//
//   - Runs of letters and digits form one token: "abc123", "mp3".
//   - An apostrophe, a period, a colon or a middle dot between two letters
//     stays in the token: "don't", "o'neil's", "u.s" (from "U.S."), "a:b".
//   - A period, comma, semicolon or apostrophe between two digits stays in
//     the token: "3.5", "1,000", "1,000.50", "192.168.0.1", "v1.2".
//   - '_' and other connector punctuation join anything on either side:
//     "snake_case".
//   - Combining marks and format characters stay with the character before
//     them: "café" spelled with U+0301 is one token.
//   - Each Han or Hiragana character is a token by itself; Katakana runs
//     are one token.
//
// Differences from Lucene, all rare in English text: Hebrew-letter,
// regional-indicator and emoji rules are not implemented (emoji are dropped
// rather than emitted), Thai, Lao, Khmer and Myanmar runs are kept whole as
// letters, the character classes come from Go's unicode tables rather than
// the Word_Break property (for example a few modifier symbols Lucene counts
// as letters are dropped), and MaxTokenLength counts code points where Lucene
// counts UTF-16 units.
func tokenize(text string, emit func(start, end int)) {
	for i := 0; i < len(text); {
		r, size := decodeRune(text, i)
		c := classify(r)
		switch c {
		case wbLetter, wbNumeric, wbKatakana, wbExtendNumLet:
			end, word := scanWord(text, i+size, c, c != wbExtendNumLet)
			if word {
				emitSplit(text, i, end, emit)
			}
			i = end
		case wbIdeographic:
			end := skipExtend(text, i+size)
			emit(i, end)
			i = end
		default:
			i += size
		}
	}
}

// scanWord extends a word that starts before i and whose last character has
// class last. It returns the end of the word and whether the word holds a
// letter, digit or Katakana character (a run of '_' alone is not a token).
func scanWord(text string, i int, last wbClass, word bool) (int, bool) {
	for i < len(text) {
		r, size := decodeRune(text, i)
		c := classify(r)
		switch {
		case c == wbExtend:
			i += size
			continue
		case joins(last, c):
			i += size
			last = c
			word = word || c != wbExtendNumLet
			continue
		case c == wbMidLetter || c == wbMidNum || c == wbMidNumLet || c == wbSingleQuote:
			j := skipExtend(text, i+size)
			if j < len(text) {
				r2, size2 := decodeRune(text, j)
				if c2 := classify(r2); bridges(last, c, c2) {
					i = j + size2
					last = c2
					continue
				}
			}
		}
		break
	}
	return i, word
}

// skipExtend returns the first index at or after i that does not start a
// combining mark or format character.
func skipExtend(text string, i int) int {
	for i < len(text) {
		r, size := decodeRune(text, i)
		if classify(r) != wbExtend {
			break
		}
		i += size
	}
	return i
}

// emitSplit emits text[start:end], cut into pieces of at most
// MaxTokenLength characters.
func emitSplit(text string, start, end int, emit func(start, end int)) {
	if end-start <= MaxTokenLength { // at most MaxTokenLength bytes, so runes
		emit(start, end)
		return
	}
	n, from := 0, start
	for i := start; i < end; {
		_, size := decodeRune(text, i)
		i += size
		if n++; n == MaxTokenLength {
			emit(from, i)
			n, from = 0, i
		}
	}
	if from < end {
		emit(from, end)
	}
}

// decodeRune decodes the rune at text[i], with an ASCII fast path.
func decodeRune(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}
