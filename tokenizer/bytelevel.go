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
		k := start
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

// isGPT2Other is [^\s\p{L}\p{N}].
func isGPT2Other(r rune) bool {
	return !isWhitespace(r) && !unicode.IsLetter(r) && !unicode.IsNumber(r)
}
