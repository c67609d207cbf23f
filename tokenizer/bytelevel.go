package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// byteLevel is Hugging Face's ByteLevel pre-tokenizer (GPT-2, RoBERTa,
// ModernBERT): an optional space before each text, a split by GPT-2's
// pattern
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// and every byte mapped to a printable character of the byte-level alphabet
// (' ' -> 'Ġ', '\n' -> 'Ċ', bytes of non-ASCII characters -> Latin-1 letters).
type byteLevel struct {
	addPrefixSpace bool
	useRegex       bool
}

var _ preTokenizer = byteLevel{}

// byteChars maps each byte to its UTF-8 encoded alphabet character (GPT-2's
// bytes_to_unicode: printable Latin-1 bytes map to themselves, the others to
// U+0100 onwards in byte order).
var byteChars = func() (t [256]string) {
	n := 0
	for b := 0; b < 256; b++ {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			t[b] = string(rune(b))
		} else {
			t[b] = string(rune(256 + n))
			n++
		}
	}
	return t
}()

func (bl byteLevel) split(out, in *words, _ bool) {
	var tmp [256]byte
	for i := 0; i < in.len(); i++ {
		w := in.word(i)
		if bl.addPrefixSpace && w[0] != ' ' {
			src := append(tmp[:0], ' ')
			w = append(src, w...)
		}
		for k := 0; k < len(w); {
			j := len(w)
			if bl.useRegex {
				j = k + gpt2Match(w[k:])
			}
			for _, c := range w[k:j] {
				out.buf = append(out.buf, byteChars[c]...)
			}
			out.end()
			k = j
		}
	}
}

// gpt2Match returns the length of the GPT-2 pattern's match at the start of
// s (never 0 for non-empty s): the alternatives are tried in order, as
// Oniguruma does.
func gpt2Match(s []byte) int {
	r0, n0 := utf8.DecodeRune(s)
	if r0 == '\'' && len(s) > 1 {
		switch s[1] {
		case 's', 't', 'm', 'd':
			return 2
		case 'r', 'v', 'l':
			if len(s) > 2 && ((s[1] == 'r' && s[2] == 'e') || (s[1] == 'v' && s[2] == 'e') || (s[1] == 'l' && s[2] == 'l')) {
				return 3
			}
		}
	}
	start, r := 0, r0
	if r0 == ' ' && len(s) > 1 {
		r1, _ := utf8.DecodeRune(s[1:])
		if !isWhitespace(r1) {
			start, r = 1, r1
		}
	}
	if start == 1 || !isWhitespace(r0) {
		var in func(rune) bool
		switch {
		case unicode.IsLetter(r):
			in = unicode.IsLetter
		case unicode.IsNumber(r):
			in = unicode.IsNumber
		default:
			in = isGPT2Other
		}
		return runOf(s, start, in)
	}
	// A whitespace run: all of it at the end of the text; before a
	// non-space character, all but its last character (\s+(?!\S)), or the
	// one character when that is all there is (\s+).
	k, last := n0, n0
	for k < len(s) {
		c, n := utf8.DecodeRune(s[k:])
		if !isWhitespace(c) {
			if k > n0 {
				return k - last
			}
			return k
		}
		k, last = k+n, n
	}
	return k
}

// runOf returns the end of the run of characters in class that starts at
// s[k:] (k when s[k] is not in it): the one loop of the hand-written
// patterns, with a fast path for ASCII.
func runOf(s []byte, k int, in func(rune) bool) int {
	for k < len(s) {
		c := rune(s[k])
		n := 1
		if c >= utf8.RuneSelf {
			c, n = utf8.DecodeRune(s[k:])
		}
		if !in(c) {
			break
		}
		k += n
	}
	return k
}

// isGPT2Other is [^\s\p{L}\p{N}].
func isGPT2Other(r rune) bool {
	return !isWhitespace(r) && !unicode.IsLetter(r) && !unicode.IsNumber(r)
}

// The pre-tokenizer patterns of Llama 3 and Qwen2, whose look-ahead RE2
// cannot run; knownPattern matches them by hand, as gpt2Match does GPT-2's.
const (
	llama3Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	qwen2Pattern  = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// knownPattern returns a hand-written matcher for a pattern RE2 cannot
// compile, or nil.
func knownPattern(p string) func([]byte) int {
	switch p {
	case llama3Pattern:
		return func(s []byte) int { return llamaMatch(s, 3) }
	case qwen2Pattern:
		return func(s []byte) int { return llamaMatch(s, 1) }
	}
	return nil
}

// llamaMatch returns the length of the Llama 3 / Qwen2 pattern's match at
// the start of s (never 0 for non-empty s), digits runs being cut at
// maxDigits; the alternatives are tried in order, as Oniguruma does.
func llamaMatch(s []byte, maxDigits int) int {
	r0, n0 := utf8.DecodeRune(s)
	// (?i:'s|'t|'re|'ve|'m|'ll|'d)
	if r0 == '\'' && len(s) > 1 {
		switch s[1] | 0x20 {
		case 's', 't', 'm', 'd':
			return 2
		case 'r', 'v', 'l':
			if len(s) > 2 {
				c1, c2 := s[1]|0x20, s[2]|0x20
				if (c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l') {
					return 3
				}
			}
		}
	}
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if r0 != '\r' && r0 != '\n' && !unicode.IsLetter(r0) && !unicode.IsNumber(r0) && n0 < len(s) {
		if r1, _ := utf8.DecodeRune(s[n0:]); unicode.IsLetter(r1) {
			return runOf(s, n0, unicode.IsLetter)
		}
	}
	if unicode.IsLetter(r0) {
		return runOf(s, n0, unicode.IsLetter)
	}
	// \p{N}{1,maxDigits}
	if unicode.IsNumber(r0) {
		k := n0
		for d := 1; d < maxDigits && k < len(s); d++ {
			r, n := utf8.DecodeRune(s[k:])
			if !unicode.IsNumber(r) {
				break
			}
			k += n
		}
		return k
	}
	//  ?[^\s\p{L}\p{N}]+[\r\n]*
	start := 0
	if r0 == ' ' && n0 < len(s) {
		if r1, _ := utf8.DecodeRune(s[n0:]); isGPT2Other(r1) {
			start = n0
		}
	}
	if r, _ := utf8.DecodeRune(s[start:]); isGPT2Other(r) {
		k := runOf(s, start, isGPT2Other)
		for k < len(s) && (s[k] == '\r' || s[k] == '\n') {
			k++
		}
		return k
	}
	// r0 is whitespace. \s*[\r\n]+: up to the run's last CR or LF.
	end, last, lastBreak := 0, 0, -1
	for end < len(s) {
		r, n := utf8.DecodeRune(s[end:])
		if !isWhitespace(r) {
			break
		}
		if r == '\r' || r == '\n' {
			lastBreak = end
		}
		end, last = end+n, n
	}
	switch {
	case lastBreak >= 0:
		return lastBreak + 1
	case end == len(s) || end == n0:
		return end // \s+(?!\S) at the end, or \s+ for one character
	}
	return end - last // \s+(?!\S): all but the character before the word
}
