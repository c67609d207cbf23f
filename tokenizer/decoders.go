package tokenizer

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// decoder is one decoder of a tokenizer.json: it rewrites the list of token
// strings (Hugging Face's decode_chain); Decode joins the result.
type decoder interface {
	decode(tokens []string) []string
}

// Decode returns the text of ids as Hugging Face's decode does: each id
// becomes its token (ids outside the vocabulary are dropped, and special
// added tokens too when skipSpecial), the file's decoder rewrites the
// tokens ("##" pieces joined, "▁" and "Ġ" turned back into spaces, <0xXX>
// bytes reassembled, ...), and the results are concatenated. Without a
// decoder the tokens are joined with spaces.
func (t *Tokenizer) Decode(ids []int32, skipSpecial bool) string {
	tokens := make([]string, 0, len(ids))
	for _, id := range ids {
		if id < 0 || int(id) >= len(t.vocab) || (t.vocab[id] == "" && id != t.emptyID) {
			continue
		}
		if skipSpecial && t.isSpecial[id] {
			continue
		}
		tokens = append(tokens, t.vocab[id])
	}
	if t.decoder == nil {
		return strings.Join(tokens, " ")
	}
	return strings.Join(t.decoder.decode(tokens), "")
}

// decoderSequence runs decoders in order.
type decoderSequence []decoder

var _ decoder = decoderSequence{}

func (s decoderSequence) decode(tokens []string) []string {
	for _, d := range s {
		tokens = d.decode(tokens)
	}
	return tokens
}

// byteLevelDecoder maps the byte-level alphabet back to bytes and reads them
// as UTF-8 (invalid sequences become U+FFFD); a token holding a character
// outside the alphabet is kept as it is.
type byteLevelDecoder struct{}

var _ decoder = byteLevelDecoder{}

// charBytes maps the byte-level alphabet back to bytes.
var charBytes = func() map[rune]byte {
	m := make(map[rune]byte, 256)
	for b, s := range byteChars {
		r, _ := utf8.DecodeRuneInString(s)
		m[r] = byte(b)
	}
	return m
}()

func (byteLevelDecoder) decode(tokens []string) []string {
	var out []byte
	for _, tok := range tokens {
		mark := len(out)
		for _, r := range tok {
			b, ok := charBytes[r]
			if !ok {
				out = append(out[:mark], tok...)
				break
			}
			out = append(out, b)
		}
	}
	return []string{lossyUTF8(out)}
}

// lossyUTF8 is Rust's String::from_utf8_lossy: each maximal invalid
// subsequence becomes one U+FFFD.
func lossyUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || n > 1 {
			sb.Write(b[i : i+n])
			i += n
			continue
		}
		sb.WriteRune(utf8.RuneError)
		i += maximalSubpart(b[i:])
	}
	return sb.String()
}

// maximalSubpart returns the length of the longest prefix of b (starting
// with an invalid or truncated sequence) that could begin a valid UTF-8
// sequence, at least 1.
func maximalSubpart(b []byte) int {
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		lo, need = 0xA0, 2
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		hi, need = 0x9F, 2
	case c == 0xF0:
		lo, need = 0x90, 3
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		hi, need = 0x8F, 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(b); n++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}

// metaspaceDecoder turns the replacement character back into spaces; in the
// first token it is dropped instead (unless prepend_scheme is never), as
// Hugging Face does.
type metaspaceDecoder struct {
	repl    rune
	prepend string
}

var _ decoder = metaspaceDecoder{}

func (m metaspaceDecoder) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		var sb strings.Builder
		for _, r := range tok {
			switch {
			case r != m.repl:
				sb.WriteRune(r)
			case i == 0 && m.prepend != prependNever:
			default:
				sb.WriteByte(' ')
			}
		}
		out[i] = sb.String()
	}
	return out
}

// wordPieceDecoder joins continuation pieces (prefix "##") to the piece
// before and puts a space before the others; cleanup removes spaces before
// punctuation and in contractions.
type wordPieceDecoder struct {
	prefix  string
	cleanup bool
}

var _ decoder = wordPieceDecoder{}

func (w wordPieceDecoder) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		if i != 0 {
			if rest, ok := strings.CutPrefix(tok, w.prefix); ok {
				tok = rest
			} else {
				tok = " " + tok
			}
		}
		if w.cleanup {
			tok = cleanupDecoded(tok)
		}
		out[i] = tok
	}
	return out
}

// cleanupDecoded is Hugging Face's wordpiece cleanup: the replacements run
// one after the other, in this order.
func cleanupDecoded(s string) string {
	for _, r := range [][2]string{{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"},
		{" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

// bpeDecoder replaces the end-of-word suffix by a space (by nothing in the
// last token).
type bpeDecoder struct{ suffix string }

var _ decoder = bpeDecoder{}

func (d bpeDecoder) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		repl := " "
		if i == len(tokens)-1 {
			repl = ""
		}
		out[i] = strings.ReplaceAll(tok, d.suffix, repl)
	}
	return out
}

// byteFallbackDecoder reassembles runs of <0xXX> tokens into text; a run
// that is not valid UTF-8 becomes one U+FFFD per byte.
type byteFallbackDecoder struct{}

var _ decoder = byteFallbackDecoder{}

func (byteFallbackDecoder) decode(tokens []string) []string {
	var out []string
	var run []byte
	flush := func() {
		if len(run) == 0 {
			return
		}
		if utf8.Valid(run) {
			out = append(out, string(run))
		} else {
			for range run {
				out = append(out, "\uFFFD")
			}
		}
		run = run[:0]
	}
	for _, tok := range tokens {
		if b, ok := byteToken(tok); ok {
			run = append(run, b)
			continue
		}
		flush()
		out = append(out, tok)
	}
	flush()
	return out
}

// byteToken parses "<0xXX>" (hex digits of either case).
func byteToken(tok string) (byte, bool) {
	if len(tok) != 6 || !strings.HasPrefix(tok, "<0x") || tok[5] != '>' {
		return 0, false
	}
	var v byte
	for _, c := range []byte(tok[3:5]) {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}

// fuseDecoder joins all tokens into one.
type fuseDecoder struct{}

var _ decoder = fuseDecoder{}

func (fuseDecoder) decode(tokens []string) []string { return []string{strings.Join(tokens, "")} }

// stripDecoder removes up to start leading and stop trailing copies of
// content from each token.
type stripDecoder struct {
	content     rune
	start, stop int
}

var _ decoder = stripDecoder{}

func (d stripDecoder) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		rs := []rune(tok)
		from := 0
		for from < d.start && from < len(rs) && rs[from] == d.content {
			from++
		}
		to := len(rs)
		for k := 0; k < d.stop && to > from && rs[to-1] == d.content; k++ {
			to--
		}
		out[i] = string(rs[from:to])
	}
	return out
}

// replaceDecoder replaces a literal or pattern in each token.
type replaceDecoder struct {
	literal string
	re      *regexp.Regexp
	content string
}

var _ decoder = replaceDecoder{}

func (d replaceDecoder) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		out[i] = string(replace{literal: d.literal, re: d.re, content: d.content}.normalize(nil, []byte(tok)))
	}
	return out
}

// parseDecoder reads the decoder (nil for null).
func parseDecoder(raw json.RawMessage, what string) (decoder, error) {
	if isNull(raw) {
		return nil, nil
	}
	typ, err := typeOf(raw, what)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "Sequence":
		seq, err := parseSequence(raw, "decoders", what, parseDecoder)
		return decoderSequence(seq), err
	case "ByteLevel":
		return byteLevelDecoder{}, nil
	case "Metaspace":
		pre, err := parsePre(raw, what)
		if err != nil {
			return nil, err
		}
		m := pre.(metaspace)
		r, _ := utf8.DecodeRuneInString(m.repl)
		return metaspaceDecoder{repl: r, prepend: m.prepend}, nil
	case "WordPiece":
		w := struct {
			Prefix  *string `json:"prefix"`
			Cleanup *bool   `json:"cleanup"`
		}{}
		if err := decode(raw, &w, what); err != nil {
			return nil, err
		}
		d := wordPieceDecoder{prefix: "##", cleanup: w.Cleanup == nil || *w.Cleanup}
		if w.Prefix != nil {
			d.prefix = *w.Prefix
		}
		return d, nil
	case "BPEDecoder":
		var b struct {
			Suffix *string `json:"suffix"`
		}
		if err := decode(raw, &b, what); err != nil {
			return nil, err
		}
		d := bpeDecoder{suffix: "</w>"}
		if b.Suffix != nil {
			d.suffix = *b.Suffix
		}
		return d, nil
	case "ByteFallback":
		return byteFallbackDecoder{}, nil
	case "Fuse":
		return fuseDecoder{}, nil
	case "Strip":
		var st struct {
			Content string `json:"content"`
			Start   int    `json:"start"`
			Stop    int    `json:"stop"`
		}
		if err := decode(raw, &st, what); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(st.Content) != 1 || st.Start < 0 || st.Stop < 0 {
			return nil, invalidf("%s: want one content character and non-negative start and stop", what)
		}
		r, _ := utf8.DecodeRuneInString(st.Content)
		return stripDecoder{content: r, start: st.Start, stop: st.Stop}, nil
	case "Replace":
		n, err := parseTextNormalizer(raw, what)
		if err != nil {
			return nil, err
		}
		r := n.(replace)
		return replaceDecoder{literal: r.literal, re: r.re, content: r.content}, nil
	}
	return nil, &UnsupportedError{Component: what, Found: typ, Supported: supportedDecoders}
}
