package bm25

import "unicode/utf8"

// Stem returns the Porter stem of word, exactly as Lucene's PorterStemmer
// (and so PorterStemFilter) computes it. The input is expected to be
// lowercase; letters other than a, e, i, o, u and y count as consonants, as
// in Lucene. Words of one or two characters are returned unchanged.
//
// This is the original algorithm (Porter, 1980, "An algorithm for suffix
// stripping") in the form of Porter's own reference implementation, which
// differs from the paper in two places: step 2 maps -bli to -ble (not
// -abli to -able) and adds -logi to -log. It is not Porter2/Snowball
// English: for example "hopefully" stems to "hopefulli", "generously" to
// "gener".
//
// Examples:
//
//	caresses → caress   ponies → poni       relational → relat
//	hopeful  → hope     agreed → agre       generalizations → gener
func Stem(word string) string {
	if isASCII(word) {
		if len(word) <= 2 {
			return word
		}
		var buf [64]byte
		b := append(buf[:0], word...)
		n := stemInPlace(b)
		if n == len(word) && string(b[:n]) == word {
			return word
		}
		return string(b[:n])
	}
	r := []rune(word)
	return string(r[:stemInPlace(r)])
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// letter is the element type the stemmer runs on: bytes for ASCII words,
// runes otherwise (Lucene runs on UTF-16 chars; the two agree except for
// characters outside the Basic Multilingual Plane, which are consonants
// either way).
type letter interface{ ~byte | ~rune }

// stemInPlace stems the word in b, which it may rewrite, and returns the
// length of the stem, a prefix of b.
func stemInPlace[T letter](b []T) int {
	p := porter[T]{b: b, k: len(b) - 1}
	if p.k > 1 {
		p.step1()
		p.step2()
		p.step3()
		p.step4()
		p.step5()
		p.step6()
	}
	return p.k + 1
}

// porter holds the state of one stemming run; the field names follow
// Lucene's PorterStemmer: b[0..k] is the current word and j marks the end of
// the stem before a matched suffix (k0 is always 0 here).
type porter[T letter] struct {
	b    []T
	j, k int
}

// cons reports whether b[i] is a consonant; y is a consonant at the start of
// the word or after a vowel.
func (p *porter[T]) cons(i int) bool {
	switch p.b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !p.cons(i-1)
	}
	return true
}

// m measures the number of vowel-consonant sequences in b[0..j]:
//
//	<c><v> gives 0, <c>vc<v> gives 1, <c>vcvc<v> gives 2, ...
func (p *porter[T]) m() int {
	n := 0
	i, ok := p.skip(0, true) // the leading consonants
	for ok {
		if i, ok = p.skip(i+1, false); !ok { // a run of vowels
			return n
		}
		n++
		i, ok = p.skip(i+1, true) // a run of consonants
	}
	return n
}

// skip returns the first position from i on, up to j, whose letter is not
// a consonant when cons (a consonant when !cons), and false when there is
// none.
func (p *porter[T]) skip(i int, cons bool) (int, bool) {
	for ; i <= p.j; i++ {
		if p.cons(i) != cons {
			return i, true
		}
	}
	return i, false
}

// vowelInStem reports whether b[0..j] contains a vowel.
func (p *porter[T]) vowelInStem() bool {
	for i := 0; i <= p.j; i++ {
		if !p.cons(i) {
			return true
		}
	}
	return false
}

// doubleC reports whether b[j-1..j] is a double consonant.
func (p *porter[T]) doubleC(j int) bool {
	return j >= 1 && p.b[j] == p.b[j-1] && p.cons(j)
}

// cvc reports whether b[i-2..i] is consonant-vowel-consonant and the last
// consonant is not w, x or y (cav(e), lov(e), hop(e), but snow, box, tray).
func (p *porter[T]) cvc(i int) bool {
	if i < 2 || !p.cons(i) || p.cons(i-1) || !p.cons(i-2) {
		return false
	}
	c := p.b[i]
	return c != 'w' && c != 'x' && c != 'y'
}

// ends reports whether b[0..k] ends with s and, if so, sets j before it.
func (p *porter[T]) ends(s string) bool {
	o := p.k - len(s) + 1
	if o < 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if p.b[o+i] != T(s[i]) {
			return false
		}
	}
	p.j = p.k - len(s)
	return true
}

// setTo replaces b[j+1..k] with s. Every replacement fits in the space of
// the suffix it replaces or of one removed just before, so b never grows.
func (p *porter[T]) setTo(s string) {
	for i := 0; i < len(s); i++ {
		p.b[p.j+1+i] = T(s[i])
	}
	p.k = p.j + len(s)
}

// r replaces the matched suffix with s when the stem has m() > 0.
func (p *porter[T]) r(s string) {
	if p.m() > 0 {
		p.setTo(s)
	}
}
