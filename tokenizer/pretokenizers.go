package tokenizer

import (
	"regexp"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// words is a list of pre-tokenized words stored back to back in buf; word i
// is buf[ends[i-1]:ends[i]]. Empty words are never stored.
type words struct {
	buf  []byte
	ends []int
}

func (w *words) reset() { w.buf, w.ends = w.buf[:0], w.ends[:0] }

func (w *words) len() int { return len(w.ends) }

func (w *words) word(i int) []byte {
	start := 0
	if i > 0 {
		start = w.ends[i-1]
	}
	return w.buf[start:w.ends[i]]
}

// add appends a word, ignoring an empty one.
func (w *words) add(b []byte) {
	if len(b) > 0 {
		w.buf = append(w.buf, b...)
		w.ends = append(w.ends, len(w.buf))
	}
}

// end closes the word written to buf since the last end (if any).
func (w *words) end() {
	last := 0
	if n := len(w.ends); n > 0 {
		last = w.ends[n-1]
	}
	if len(w.buf) > last {
		w.ends = append(w.ends, len(w.buf))
	}
}

// preTokenizer is one pre-tokenizer of a tokenizer.json: it splits (and may
// rewrite) each word of in, appending the results to out. first is true when
// in's first word starts the text (Metaspace's prepend_scheme "first").
type preTokenizer interface {
	split(out, in *words, first bool)
}

// preSequence runs pre-tokenizers in order (Hugging Face's Sequence).
type preSequence []preTokenizer

var _ preTokenizer = preSequence{}

func (s preSequence) split(out, in *words, first bool) {
	if len(s) == 0 {
		for i := 0; i < in.len(); i++ {
			out.add(in.word(i))
		}
		return
	}
	bufs := preSeqPool.Get().(*[2]words)
	for i, p := range s[:len(s)-1] {
		w := &bufs[i%2]
		w.reset()
		p.split(w, in, first)
		in = w
	}
	s[len(s)-1].split(out, in, first)
	preSeqPool.Put(bufs)
}

// preSeqPool holds the two intermediate word lists of preSequence, which
// runs on every normalized piece of every text.
var preSeqPool = sync.Pool{New: func() any { return new([2]words) }}

// Metaspace prepend schemes.
const (
	prependAlways = "always"
	prependFirst  = "first"
	prependNever  = "never"
)

// metaspace is Hugging Face's Metaspace: spaces become the replacement
// character (U+2581 "▁"), which is prepended to a word that lacks it
// (always, or for the text's first word only, or never), and words are split
// before each replacement character.
//
//	"Hello  world" -> "▁Hello" "▁" "▁world"
type metaspace struct {
	repl    string
	prepend string
	split_  bool
}

var _ preTokenizer = metaspace{}

func (m metaspace) split(out, in *words, first bool) {
	for i := 0; i < in.len(); i++ {
		w := in.word(i)
		mark := len(out.buf)
		if (m.prepend == prependAlways || (m.prepend == prependFirst && first && i == 0)) && w[0] != ' ' && !hasPrefix(w, m.repl) {
			out.buf = append(out.buf, m.repl...)
		}
		for _, c := range w {
			if c == ' ' {
				out.buf = append(out.buf, m.repl...)
			} else {
				out.buf = append(out.buf, c)
			}
		}
		if !m.split_ {
			out.end()
			continue
		}
		// Split before every replacement character (MergedWithNext).
		seg := out.buf[mark:]
		for k := 1; k+len(m.repl) <= len(seg); k++ {
			if string(seg[k:k+len(m.repl)]) == m.repl {
				out.ends = append(out.ends, mark+k)
				k += len(m.repl) - 1
			}
		}
		out.end()
	}
}

// prependsFirst reports a Metaspace with prepend_scheme "first" in p.
func prependsFirst(p preTokenizer) bool {
	switch p := p.(type) {
	case metaspace:
		return p.prepend == prependFirst
	case preSequence:
		return slices.ContainsFunc(p, prependsFirst)
	}
	return false
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// whitespaceSplit is Hugging Face's WhitespaceSplit: words are runs of
// non-whitespace characters.
type whitespaceSplit struct{}

var _ preTokenizer = whitespaceSplit{}

func (whitespaceSplit) split(out, in *words, _ bool) {
	for i := 0; i < in.len(); i++ {
		w := in.word(i)
		for k := 0; k < len(w); {
			r, n := utf8.DecodeRune(w[k:])
			if isWhitespace(r) {
				out.end()
			} else {
				out.buf = append(out.buf, w[k:k+n]...)
			}
			k += n
		}
		out.end()
	}
}

// whitespace is Hugging Face's Whitespace: the matches of \w+|[^\w\s]+.
type whitespace struct{}

var _ preTokenizer = whitespace{}

func (whitespace) split(out, in *words, _ bool) {
	for i := 0; i < in.len(); i++ {
		w := in.word(i)
		class := 0 // 0 none, 1 word, 2 other
		for k := 0; k < len(w); {
			r, n := utf8.DecodeRune(w[k:])
			c := 2
			switch {
			case isWhitespace(r):
				c = 0
			case isRegexWord(r):
				c = 1
			}
			if c != class {
				out.end()
				class = c
			}
			if c != 0 {
				out.buf = append(out.buf, w[k:k+n]...)
			}
			k += n
		}
		out.end()
	}
}

// isRegexWord is \w of Hugging Face's regex engine (Oniguruma, Unicode, as
// UTS #18 defines it): alphabetic characters (letters, letter numbers,
// Other_Alphabetic), marks, decimal digits, connector punctuation and the
// joiners U+200C and U+200D.
func isRegexWord(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || (r >= '0' && r <= '9') || (r|0x20 >= 'a' && r|0x20 <= 'z')
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_Alphabetic, unicode.M, unicode.Nd, unicode.Pc, unicode.Join_Control)
}

// bertPreTokenize is BertPreTokenizer when it runs outside the BERT fast
// path: split on whitespace and isolate punctuation characters.
type bertPreTokenize struct{}

var _ preTokenizer = bertPreTokenize{}

func (bertPreTokenize) split(out, in *words, _ bool) {
	for i := 0; i < in.len(); i++ {
		w := in.word(i)
		for k := 0; k < len(w); {
			r, n := utf8.DecodeRune(w[k:])
			switch {
			case isWhitespace(r):
				out.end()
			case isPunct(r):
				out.end()
				out.add(w[k : k+n])
			default:
				out.buf = append(out.buf, w[k:k+n]...)
			}
			k += n
		}
		out.end()
	}
}

// Split behaviours of Hugging Face's Split pre-tokenizer.
const (
	splitRemoved            = "Removed"
	splitIsolated           = "Isolated"
	splitMergedWithPrevious = "MergedWithPrevious"
	splitMergedWithNext     = "MergedWithNext"
	splitContiguous         = "Contiguous"
)

// splitter is Hugging Face's Split: the text is cut at the matches of a
// literal or regular-expression pattern, which are dropped, kept as words, or
// merged with the word before or after (behavior); invert swaps matches and
// the text between them.
type splitter struct {
	literal  string
	re       *regexp.Regexp
	scan     func([]byte) int // a hand-written pattern: the length of its match at the start (never 0)
	char     func(rune) bool  // a character class: each such character is a match
	behavior string
	invert   bool
}

var _ preTokenizer = splitter{}

func (s splitter) split(out, in *words, _ bool) {
	pp := piecePool.Get().(*[]splitPiece)
	pieces := *pp
	for i := 0; i < in.len(); i++ {
		w := in.word(i)
		pieces = s.pieces(pieces[:0], w)
		for k, p := range pieces {
			if k > 0 && s.cutBefore(p, pieces[k-1]) {
				out.end()
			}
			if p.match && s.behavior == splitRemoved {
				out.end()
				continue
			}
			out.buf = append(out.buf, w[p.a:p.b]...)
		}
		out.end()
	}
	*pp = pieces
	piecePool.Put(pp)
}

// piecePool holds the piece buffers of splitter.split.
var piecePool = sync.Pool{New: func() any { return new([]splitPiece) }}

// splitPiece is a stretch of a word: a match of the pattern (after invert)
// or the text between matches.
type splitPiece struct {
	a, b  int
	match bool
}

// pieces cuts w into matches and the text between them.
func (s splitter) pieces(dst []splitPiece, w []byte) []splitPiece {
	prev := 0
	match := func(a, b int) {
		if a > prev {
			dst = append(dst, splitPiece{prev, a, s.invert})
		}
		dst = append(dst, splitPiece{a, b, !s.invert})
		prev = b
	}
	switch {
	case s.char != nil:
		for k := 0; k < len(w); {
			r, n := utf8.DecodeRune(w[k:])
			if s.char(r) {
				match(k, k+n)
			}
			k += n
		}
	case s.scan != nil:
		for k := 0; k < len(w); {
			n := s.scan(w[k:])
			match(k, k+n)
			k += n
		}
	case s.re != nil:
		for _, m := range s.re.FindAllIndex(w, -1) {
			if m[1] > m[0] {
				match(m[0], m[1])
			}
		}
	case s.literal != "":
		for k := 0; k+len(s.literal) <= len(w); {
			if string(w[k:k+len(s.literal)]) == s.literal {
				match(k, k+len(s.literal))
				k += len(s.literal)
			} else {
				k++
			}
		}
	}
	if prev < len(w) {
		dst = append(dst, splitPiece{prev, len(w), s.invert})
	}
	return dst
}

// cutBefore reports whether the behaviour starts a new word at p, which
// follows prev: Removed and Isolated cut everywhere, MergedWithPrevious
// keeps a match with the text before it, MergedWithNext keeps a match with
// the text after it, Contiguous keeps runs of matches (or of non-matches).
func (s splitter) cutBefore(p, prev splitPiece) bool {
	switch s.behavior {
	case splitMergedWithPrevious:
		return !(p.match && !prev.match)
	case splitMergedWithNext:
		return !(!p.match && prev.match)
	case splitContiguous:
		return p.match != prev.match
	}
	return true
}
