package tokenizer

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// textNormalizer is one normalizer of a tokenizer.json outside the BERT fast
// path: it appends the normalized form of src to dst.
type textNormalizer interface {
	normalize(dst, src []byte) []byte
}

var (
	_ textNormalizer = normSequence{}
	_ textNormalizer = unicodeForm{}
	_ textNormalizer = lowercase{}
	_ textNormalizer = stripAccents{}
	_ textNormalizer = strip{}
	_ textNormalizer = replace{}
	_ textNormalizer = prepend{}
	_ textNormalizer = bertNormalize{}
	_ textNormalizer = (*precompiled)(nil)
)

// normSequence runs normalizers in order (Hugging Face's Sequence).
type normSequence []textNormalizer

// seqPool holds the two intermediate buffers of normSequence.
var seqPool = sync.Pool{New: func() any { return new([2][]byte) }}

func (s normSequence) normalize(dst, src []byte) []byte {
	if len(s) == 0 {
		return append(dst, src...)
	}
	bufs := seqPool.Get().(*[2][]byte)
	for i, n := range s[:len(s)-1] {
		bufs[i%2] = n.normalize(bufs[i%2][:0], src)
		src = bufs[i%2]
	}
	dst = s[len(s)-1].normalize(dst, src)
	seqPool.Put(bufs)
	return dst
}

// unicodeForm is NFC, NFD, NFKC or NFKD.
type unicodeForm struct{ f norm.Form }

func (u unicodeForm) normalize(dst, src []byte) []byte {
	if u.f == norm.NFD || u.f == norm.NFKD {
		if !bytesContains(src, undecomposed) {
			return u.f.Append(dst, src...)
		}
		// Go's tables decompose U+11938; Hugging Face's do not (see nfd).
		for i, part := range strings.Split(string(src), undecomposed) {
			if i > 0 {
				dst = append(dst, undecomposed...)
			}
			dst = u.f.AppendString(dst, part)
		}
		return dst
	}
	return u.f.Append(dst, src...)
}

func bytesContains(b []byte, s string) bool { return strings.Contains(string(b), s) }

// lowercase is Hugging Face's Lowercase: Rust's full lowercase mapping of
// each character.
type lowercase struct{}

func (lowercase) normalize(dst, src []byte) []byte {
	var buf [4]rune
	for i := 0; i < len(src); {
		if c := src[i]; c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		for _, l := range appendLower(buf[:0], r) {
			dst = utf8.AppendRune(dst, l)
		}
		i += n
	}
	return dst
}

// stripAccents is Hugging Face's StripAccents: it drops combining marks
// (categories Mn, Mc and Me; meant to follow NFD). BertNormalizer's
// strip_accents drops only Mn.
type stripAccents struct{}

func (stripAccents) normalize(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		if c := src[i]; c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if !unicode.Is(unicode.M, r) {
			dst = append(dst, src[i:i+n]...)
		}
		i += n
	}
	return dst
}

// strip is Hugging Face's Strip: it removes leading and/or trailing
// whitespace (Rust's char::is_whitespace).
type strip struct{ left, right bool }

func (s strip) normalize(dst, src []byte) []byte {
	if s.left {
		src = bytes.TrimLeftFunc(src, isWhitespace)
	}
	if s.right {
		src = bytes.TrimRightFunc(src, isWhitespace)
	}
	return append(dst, src...)
}

// replace is Hugging Face's Replace: every match of a literal string or a
// regular expression is replaced by content.
type replace struct {
	literal string         // when re is nil
	re      *regexp.Regexp // a Regex pattern
	content string
}

func (r replace) normalize(dst, src []byte) []byte {
	if r.re != nil {
		return append(dst, r.re.ReplaceAllLiteral(src, []byte(r.content))...)
	}
	if r.literal == "" {
		return append(dst, src...)
	}
	lit := []byte(r.literal)
	for {
		i := bytes.Index(src, lit)
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(append(dst, src[:i]...), r.content...)
		src = src[i+len(lit):]
	}
}

// prepend is Hugging Face's Prepend normalizer: it puts a string before
// non-empty text.
type prepend struct{ s string }

func (p prepend) normalize(dst, src []byte) []byte {
	if len(src) == 0 {
		return dst
	}
	return append(append(dst, p.s...), src...)
}

// bertNormalize runs BertNormalizer when it is one step of a longer pipeline.
type bertNormalize struct{ n normalizer }

func (b bertNormalize) normalize(dst, src []byte) []byte {
	s := slowPool.Get().(*slowScratch)
	s.runes, s.scratch, s.decomposed = b.n.appendNormalized(s.runes[:0], string(src), s.scratch, s.decomposed)
	for _, r := range s.runes {
		dst = utf8.AppendRune(dst, r)
	}
	slowPool.Put(s)
	return dst
}

// dropsPrefix reports whether n deletes the first character of src (with
// what follows realigned after it), as Strip, an empty Replace at the start,
// StripAccents and BertNormalizer's cleaning can. Precompiled deletions do
// not count: Hugging Face aligns the next character to the deleted one.
func dropsPrefix(n textNormalizer, src []byte) bool {
	if len(src) == 0 {
		return false
	}
	r, _ := utf8.DecodeRune(src)
	switch n := n.(type) {
	case normSequence:
		for i, step := range n {
			if dropsPrefix(step, src) {
				return true
			}
			if i < len(n)-1 { // the last step's output is never looked at
				src = step.normalize(nil, src)
			}
		}
	case strip:
		return n.left && isWhitespace(r)
	case replace:
		if n.content != "" {
			return false
		}
		if n.re != nil {
			loc := n.re.FindIndex(src)
			return loc != nil && loc[0] == 0 && loc[1] > 0
		}
		return n.literal != "" && strings.HasPrefix(string(src), n.literal)
	case stripAccents:
		return unicode.Is(unicode.M, r)
	case bertNormalize:
		return n.n.cleanText && (r == 0 || r == utf8.RuneError || isControl(r))
	}
	return false
}
