package tokenizer

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizer is Hugging Face's BertNormalizer. Steps run in this order:
//
//	clean_text            drop NUL, U+FFFD and control characters (Cc, Cf, Co, Cs, Cn
//	                      except \t \n \r); map whitespace (incl. U+00A0, U+202F) to ' '
//	handle_chinese_chars  surround each CJK ideograph with spaces
//	strip_accents         NFD, then drop nonspacing marks (Mn)
//	lowercase             per-character lowercase mapping
type normalizer struct {
	cleanText    bool
	chineseChars bool
	stripAccents bool
	lowercase    bool
}

// bertDefaults is the normalizer of an uncased (lowercase) or cased BERT.
func bertDefaults(lowercase bool) normalizer {
	return normalizer{cleanText: true, chineseChars: true, stripAccents: lowercase, lowercase: lowercase}
}

// asciiByte applies the normalizer to one ASCII byte. keep is false when
// clean_text removes it; whitespace maps to ' '.
func (n *normalizer) asciiByte(c byte) (out byte, keep bool) {
	if n.cleanText {
		switch asciiClass[c] {
		case classControl:
			return 0, false
		case classSpace:
			return ' ', true
		}
	}
	if n.lowercase && c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c, true
}

// appendNormalized appends the normalized runes of s to dst. scratch and
// decomposed are reusable byte storage, returned (grown) for the next call.
func (n *normalizer) appendNormalized(dst []rune, s string, scratch, decomposed []byte) ([]rune, []byte, []byte) {
	b := scratch[:0]
	for _, r := range s {
		if n.cleanText {
			if r == 0 || r == utf8.RuneError || isControl(r) {
				continue
			}
			if isWhitespace(r) {
				r = ' '
			}
		}
		if n.chineseChars && isChinese(r) {
			b = append(b, ' ')
			b = utf8.AppendRune(b, r)
			b = append(b, ' ')
			continue
		}
		b = utf8.AppendRune(b, r)
	}
	src := b
	if n.stripAccents {
		decomposed = nfd(decomposed[:0], b)
		src = decomposed
	}
	for _, r := range string(src) {
		if n.stripAccents && isNonspacingMark(r) {
			continue
		}
		if n.lowercase {
			dst = appendLower(dst, r)
		} else {
			dst = append(dst, r)
		}
	}
	return dst, b, decomposed
}

// undecomposed is U+11938, which Go's NFD decomposes (Unicode 13) and Hugging
// Face's older tables leave alone.
const undecomposed = "\U00011938"

// nfd appends the NFD form of b, as Hugging Face computes it, to out.
func nfd(out, b []byte) []byte {
	if !bytes.Contains(b, []byte(undecomposed)) {
		return norm.NFD.Append(out, b...)
	}
	for i, part := range bytes.Split(b, []byte(undecomposed)) {
		if i > 0 {
			out = append(out, undecomposed...)
		}
		out = norm.NFD.Append(out, part...)
	}
	return out
}
