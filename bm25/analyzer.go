package bm25

import (
	"unicode"
	"unicode/utf8"
)

// Analyzer turns text into index terms the way Lucene's EnglishAnalyzer does:
//
//	StandardTokenizer → EnglishPossessiveFilter → LowerCaseFilter →
//	StopFilter(ENGLISH_STOP_WORDS_SET) → PorterStemFilter
//
// so "The Fahrenheit scale's 1,000 degrees weren't measured." becomes
// [fahrenheit scale 1,000 degre weren't measur]. See tokenize for how text is
// cut into tokens and how that differs from Lucene.
//
// The zero value is Lucene's EnglishAnalyzer. An Analyzer is safe for
// concurrent use.
type Analyzer struct {
	// KeepStopwords turns the stop filter off.
	KeepStopwords bool
	// NoStem turns the Porter stemmer off.
	NoStem bool
}

// Analyze returns the terms of text in order, repeats included. Terms that
// analysis leaves unchanged share memory with text; only lowercased or
// stemmed terms allocate.
func (a Analyzer) Analyze(text string) []string {
	return a.AppendTerms(nil, text)
}

// AppendTerms appends the terms of text to dst and returns the extended
// slice, so that a caller can reuse one slice across texts.
func (a Analyzer) AppendTerms(dst []string, text string) []string {
	var buf [128]byte
	a.eachTerm(text, buf[:0], func(term []byte, token string) {
		if string(term) == token {
			dst = append(dst, token)
		} else {
			dst = append(dst, string(term))
		}
	})
	return dst
}

// eachTerm calls fn with each term of text and the token it came from (after
// possessive stripping, before lowercasing). term lives in scratch space
// that is reused for the next term. It returns the scratch space, grown as
// needed, for the next call.
func (a Analyzer) eachTerm(text string, scratch []byte, fn func(term []byte, token string)) []byte {
	tokenize(text, func(start, end int) {
		tok := stripPossessive(text[start:end])
		if tok == "" {
			return
		}
		b := appendLower(scratch[:0], tok)
		scratch = b
		if !a.KeepStopwords && isStopword(b) {
			return
		}
		if !a.NoStem {
			b = b[:stemBytes(b)]
		}
		fn(b, tok)
	})
	return scratch
}

// appendLower appends the lowercase form of s (unicode.ToLower on each code
// point, like Lucene's LowerCaseFilter) to dst.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// stemBytes stems the UTF-8 word in b in place and returns the stem's
// length in bytes.
func stemBytes(b []byte) int {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return stemUTF8(b)
		}
	}
	return stemInPlace(b)
}

// stemUTF8 is stemBytes for words with non-ASCII characters. The stemmer only
// removes characters at the end and rewrites ASCII letters, so the stem,
// re-encoded, fits in b.
func stemUTF8(b []byte) int {
	var buf [64]rune
	r := buf[:0]
	r = appendRunes(r, b)
	n := stemInPlace(r)
	out := b[:0]
	for _, c := range r[:n] {
		out = utf8.AppendRune(out, c)
	}
	return len(out)
}

// appendRunes appends the code points of the UTF-8 text b to dst.
func appendRunes(dst []rune, b []byte) []rune {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		dst = append(dst, r)
		b = b[size:]
	}
	return dst
}
