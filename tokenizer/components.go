package tokenizer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	supportedModels        = "WordPiece, Unigram, BPE"
	supportedNormalizers   = "BertNormalizer, Precompiled, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Strip, Replace, Prepend, Sequence, or null"
	supportedPreTokenizers = "BertPreTokenizer, Metaspace, ByteLevel, Split, Whitespace, WhitespaceSplit, Punctuation, Digits, CharDelimiterSplit, Sequence, or null"
	supportedProcessors    = "TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence, or null"
	supportedDecoders      = "ByteLevel, Metaspace, WordPiece, BPEDecoder, ByteFallback, Fuse, Strip, Replace, Sequence, or null"
)

// isNull reports an absent or JSON null component.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// typeOf returns a component's "type".
func typeOf(raw json.RawMessage, what string) (string, error) {
	var t typed
	if err := json.Unmarshal(raw, &t); err != nil {
		return "", invalidf("%s: %v", what, err)
	}
	return t.Type, nil
}

// decode unmarshals a component, naming it in the error.
func decode(raw json.RawMessage, v any, what string) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return invalidf("%s: %v", what, err)
	}
	return nil
}

// parseNormalizer reads the normalizer. bert is set when it is BertNormalizer
// or null (the BERT fast path can run it); gen is the general form (nil for
// null).
func parseNormalizer(raw json.RawMessage) (bert *normalizer, gen textNormalizer, err error) {
	if isNull(raw) {
		return &normalizer{}, nil, nil
	}
	gen, err = parseTextNormalizer(raw, "normalizer")
	if err != nil {
		return nil, nil, err
	}
	if s, ok := gen.(normSequence); ok && len(s) == 1 {
		gen = s[0]
	}
	if b, ok := gen.(bertNormalize); ok {
		return &b.n, gen, nil
	}
	return nil, gen, nil
}

func parseTextNormalizer(raw json.RawMessage, what string) (textNormalizer, error) {
	typ, err := typeOf(raw, what)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "Sequence":
		seq, err := parseSequence(raw, "normalizers", what, parseTextNormalizer)
		return normSequence(seq), err
	case "BertNormalizer":
		var b bertNormalizerJSON
		if err := decode(raw, &b, what); err != nil {
			return nil, err
		}
		flag := func(p *bool, def bool) bool {
			if p == nil {
				return def
			}
			return *p
		}
		n := normalizer{cleanText: flag(b.CleanText, true), chineseChars: flag(b.HandleChineseChars, true), lowercase: flag(b.Lowercase, true)}
		n.stripAccents = flag(b.StripAccents, n.lowercase) // null follows lowercase, as in Hugging Face
		return bertNormalize{n}, nil
	case "Precompiled":
		var p struct {
			Charsmap *string `json:"precompiled_charsmap"`
		}
		if err := decode(raw, &p, what); err != nil {
			return nil, err
		}
		if p.Charsmap == nil || *p.Charsmap == "" {
			return normSequence{}, nil // an empty charsmap changes nothing
		}
		data, err := base64.StdEncoding.DecodeString(*p.Charsmap)
		if err != nil {
			return nil, invalidf("%s: precompiled_charsmap: %v", what, err)
		}
		return parsePrecompiled(data)
	case "NFC":
		return unicodeForm{norm.NFC}, nil
	case "NFD":
		return unicodeForm{norm.NFD}, nil
	case "NFKC":
		return unicodeForm{norm.NFKC}, nil
	case "NFKD":
		return unicodeForm{norm.NFKD}, nil
	case "Lowercase":
		return lowercase{}, nil
	case "StripAccents":
		return stripAccents{}, nil
	case "Strip":
		var s struct {
			Left  bool `json:"strip_left"`
			Right bool `json:"strip_right"`
		}
		if err := decode(raw, &s, what); err != nil {
			return nil, err
		}
		return strip{left: s.Left, right: s.Right}, nil
	case "Replace":
		var r struct {
			Pattern patternJSON `json:"pattern"`
			Content string      `json:"content"`
		}
		if err := decode(raw, &r, what); err != nil {
			return nil, err
		}
		lit, re, err := r.Pattern.compile(what)
		if err != nil {
			return nil, err
		}
		return replace{literal: lit, re: re, content: r.Content}, nil
	case "Prepend":
		var p struct {
			Prepend string `json:"prepend"`
		}
		if err := decode(raw, &p, what); err != nil {
			return nil, err
		}
		return prepend{p.Prepend}, nil
	}
	return nil, &UnsupportedError{Component: what, Found: typ, Supported: supportedNormalizers}
}

// parseSequence parses the elements of a Sequence component, listed under
// key, with parse; a null element is invalid.
func parseSequence[T any](raw json.RawMessage, key, what string, parse func(json.RawMessage, string) (T, error)) ([]T, error) {
	var fields map[string]json.RawMessage
	if err := decode(raw, &fields, what); err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := decode(fields[key], &items, what+"."+key); err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for i, item := range items {
		w := fmt.Sprintf("%s.%s[%d]", what, key, i)
		if isNull(item) {
			return nil, invalidf("%s is null", w)
		}
		v, err := parse(item, w)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// patternJSON is a Split or Replace pattern: {"String": s} or {"Regex": r}.
type patternJSON struct {
	String *string `json:"String"`
	Regex  *string `json:"Regex"`
}

// compile returns the literal, or the compiled regular expression (see
// compileOnig). Go's RE2 lacks look-around and backreferences; such patterns
// are refused.
func (p patternJSON) compile(what string) (string, *regexp.Regexp, error) {
	switch {
	case p.String != nil:
		return *p.String, nil, nil
	case p.Regex != nil:
		re, err := compileOnig(*p.Regex)
		if err != nil {
			return "", nil, &UnsupportedError{Component: what + " regex", Found: *p.Regex, Supported: "patterns Go's regexp (RE2) compiles: " + err.Error()}
		}
		return "", re, nil
	}
	return "", nil, invalidf("%s: pattern is neither String nor Regex", what)
}

// parsePreTokenizer reads the pre-tokenizer. bert is true when it is
// BertPreTokenizer (the fast path); gen is the general form (nil for null).
func parsePreTokenizer(raw json.RawMessage) (bert bool, gen preTokenizer, err error) {
	if isNull(raw) {
		return false, nil, nil
	}
	gen, err = parsePre(raw, "pre_tokenizer")
	if err != nil {
		return false, nil, err
	}
	if s, ok := gen.(preSequence); ok && len(s) == 1 {
		gen = s[0]
	}
	_, bert = gen.(bertPreTokenize)
	return bert, gen, nil
}

func parsePre(raw json.RawMessage, what string) (preTokenizer, error) {
	typ, err := typeOf(raw, what)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "Sequence":
		seq, err := parseSequence(raw, "pretokenizers", what, parsePre)
		return preSequence(seq), err
	case "BertPreTokenizer":
		return bertPreTokenize{}, nil
	case "Whitespace":
		return whitespace{}, nil
	case "WhitespaceSplit":
		return whitespaceSplit{}, nil
	case "Metaspace":
		var m struct {
			Replacement    string  `json:"replacement"`
			PrependScheme  *string `json:"prepend_scheme"`
			AddPrefixSpace *bool   `json:"add_prefix_space"`
			Split          *bool   `json:"split"`
		}
		if err := decode(raw, &m, what); err != nil {
			return nil, err
		}
		if len([]rune(m.Replacement)) != 1 {
			return nil, invalidf("%s: replacement %q is not one character", what, m.Replacement)
		}
		ms := metaspace{repl: m.Replacement, prepend: prependAlways, split_: m.Split == nil || *m.Split}
		if m.PrependScheme != nil {
			ms.prepend = *m.PrependScheme
		}
		switch ms.prepend {
		case prependAlways, prependFirst, prependNever:
		default:
			return nil, invalidf("%s: prepend_scheme %q: want always, first or never", what, ms.prepend)
		}
		if m.AddPrefixSpace != nil && !*m.AddPrefixSpace {
			if ms.prepend != prependNever && m.PrependScheme != nil {
				return nil, invalidf("%s: add_prefix_space false does not match prepend_scheme %q", what, ms.prepend)
			}
			ms.prepend = prependNever
		}
		return ms, nil
	case "ByteLevel":
		var b struct {
			AddPrefixSpace *bool `json:"add_prefix_space"`
			UseRegex       *bool `json:"use_regex"`
		}
		if err := decode(raw, &b, what); err != nil {
			return nil, err
		}
		return byteLevel{addPrefixSpace: b.AddPrefixSpace == nil || *b.AddPrefixSpace, useRegex: b.UseRegex == nil || *b.UseRegex}, nil
	case "Digits":
		var d struct {
			Individual bool `json:"individual_digits"`
		}
		if err := decode(raw, &d, what); err != nil {
			return nil, err
		}
		// Rust's char::is_numeric: categories Nd, Nl and No.
		if d.Individual {
			return splitter{char: unicode.IsNumber, behavior: splitIsolated}, nil
		}
		return splitter{char: unicode.IsNumber, behavior: splitContiguous}, nil
	case "Punctuation":
		var pj struct {
			Behavior *string `json:"behavior"`
		}
		if err := decode(raw, &pj, what); err != nil {
			return nil, err
		}
		b := splitIsolated
		if pj.Behavior != nil {
			b = *pj.Behavior
		}
		return splitter{char: isPunct, behavior: b}, checkBehavior(b, what)
	case "CharDelimiterSplit":
		var cd struct {
			Delimiter string `json:"delimiter"`
		}
		if err := decode(raw, &cd, what); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(cd.Delimiter) != 1 {
			return nil, invalidf("%s: delimiter %q is not one character", what, cd.Delimiter)
		}
		d, _ := utf8.DecodeRuneInString(cd.Delimiter)
		return splitter{char: func(r rune) bool { return r == d }, behavior: splitRemoved}, nil
	case "Split":
		var s struct {
			Pattern  patternJSON `json:"pattern"`
			Behavior string      `json:"behavior"`
			Invert   bool        `json:"invert"`
		}
		if err := decode(raw, &s, what); err != nil {
			return nil, err
		}
		if s.Pattern.Regex != nil {
			if scan := knownPattern(*s.Pattern.Regex); scan != nil {
				return splitter{scan: scan, behavior: s.Behavior, invert: s.Invert}, checkBehavior(s.Behavior, what)
			}
		}
		lit, re, err := s.Pattern.compile(what)
		if err != nil {
			return nil, err
		}
		if err := checkBehavior(s.Behavior, what); err != nil {
			return nil, err
		}
		return splitter{literal: lit, re: re, behavior: s.Behavior, invert: s.Invert}, nil
	}
	return nil, &UnsupportedError{Component: what, Found: typ, Supported: supportedPreTokenizers}
}

// checkBehavior validates a Split behavior.
func checkBehavior(b, what string) error {
	switch b {
	case splitRemoved, splitIsolated, splitMergedWithPrevious, splitMergedWithNext, splitContiguous:
		return nil
	}
	return invalidf("%s: behavior %q: want Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous", what, b)
}

// modelJSON holds the fields of the WordPiece, Unigram and BPE models.
type modelJSON struct {
	Type                    string          `json:"type"`
	Vocab                   json.RawMessage `json:"vocab"`
	Merges                  json.RawMessage `json:"merges"`
	UnkToken                *string         `json:"unk_token"`
	UnkID                   *int            `json:"unk_id"`
	ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string         `json:"end_of_word_suffix"`
	MaxInputCharsPerWord    *int            `json:"max_input_chars_per_word"`
	Dropout                 *float64        `json:"dropout"`
	FuseUnk                 bool            `json:"fuse_unk"`
	ByteFallback            bool            `json:"byte_fallback"`
	IgnoreMerges            bool            `json:"ignore_merges"`
}

// parsedModel is a model with its vocabulary (token -> id) and unk id (-1:
// none).
type parsedModel struct {
	typ   string
	vocab map[string]int32
	unk   int32
	model wordModel
	wp    *wordPieceJSON // WordPiece settings, for the fast path
}

// parseModel reads the model. A model without "type" is typed by its fields,
// as Hugging Face's untagged fallback does.
func parseModel(raw json.RawMessage) (*parsedModel, error) {
	if isNull(raw) {
		return nil, invalidf("model is missing")
	}
	var m modelJSON
	if err := decode(raw, &m, "model"); err != nil {
		return nil, err
	}
	typ := m.Type
	if typ == "" {
		switch {
		case !isNull(m.Merges):
			typ = "BPE"
		case bytes.HasPrefix(bytes.TrimSpace(m.Vocab), []byte("[")):
			typ = "Unigram"
		default:
			typ = "WordPiece"
		}
	}
	switch typ {
	case "WordPiece":
		return parseWordPiece(m)
	case "Unigram":
		return parseUnigram(m)
	case "BPE":
		return parseBPE(m)
	}
	return nil, &UnsupportedError{Component: "model type", Found: typ, Supported: supportedModels}
}

func parseWordPiece(m modelJSON) (*parsedModel, error) {
	wp := &wordPieceJSON{UnkToken: "[UNK]", ContinuingSubwordPrefix: "##", MaxInputCharsPerWord: 100}
	if m.UnkToken != nil {
		wp.UnkToken = *m.UnkToken
	}
	if m.ContinuingSubwordPrefix != nil {
		wp.ContinuingSubwordPrefix = *m.ContinuingSubwordPrefix
	}
	if m.MaxInputCharsPerWord != nil {
		wp.MaxInputCharsPerWord = *m.MaxInputCharsPerWord
	}
	var vocab map[string]int32
	if err := decode(m.Vocab, &vocab, "model vocab"); err != nil {
		return nil, err
	}
	if len(vocab) == 0 {
		return nil, invalidf("model vocab is empty")
	}
	unk, ok := vocab[wp.UnkToken]
	if !ok {
		return nil, invalidf("unk_token %q is not in the vocabulary", wp.UnkToken)
	}
	if err := checkIDs(vocab); err != nil {
		return nil, err
	}
	return &parsedModel{typ: "WordPiece", vocab: vocab, unk: unk, wp: wp,
		model: newWordPiece(vocab, wp.ContinuingSubwordPrefix, unk, wp.MaxInputCharsPerWord)}, nil
}

func parseUnigram(m modelJSON) (*parsedModel, error) {
	var entries [][2]json.RawMessage
	if err := decode(m.Vocab, &entries, "model vocab"); err != nil {
		return nil, err
	}
	if len(entries) >= maxVocabID {
		return nil, invalidf("model vocab has %d entries (want fewer than %d)", len(entries), maxVocabID)
	}
	vocab := make([]unigramPiece, len(entries))
	for i, e := range entries {
		if err := json.Unmarshal(e[0], &vocab[i].piece); err != nil {
			return nil, invalidf("model vocab[%d] piece: %v", i, err)
		}
		if err := json.Unmarshal(e[1], &vocab[i].score); err != nil {
			return nil, invalidf("model vocab[%d] score: %v", i, err)
		}
	}
	if m.UnkID == nil {
		return nil, &UnsupportedError{Component: "Unigram model", Found: "unk_id null", Supported: "an unk_id (Hugging Face fails on unknown characters without one)"}
	}
	u, err := newUnigram(vocab, *m.UnkID, m.ByteFallback)
	if err != nil {
		return nil, err
	}
	return &parsedModel{typ: "Unigram", vocab: u.ids, unk: u.unk, model: u}, nil
}

func parseBPE(m modelJSON) (*parsedModel, error) {
	if m.Dropout != nil && *m.Dropout != 0 {
		return nil, &UnsupportedError{Component: "BPE dropout", Found: fmt.Sprint(*m.Dropout), Supported: "null or 0 (inference is deterministic)"}
	}
	var vocab map[string]int32
	if err := decode(m.Vocab, &vocab, "model vocab"); err != nil {
		return nil, err
	}
	if len(vocab) == 0 {
		return nil, invalidf("model vocab is empty")
	}
	if err := checkIDs(vocab); err != nil {
		return nil, err
	}
	// merges are ["a b", ...] (older files) or [["a", "b"], ...].
	var items []json.RawMessage
	if !isNull(m.Merges) {
		if err := decode(m.Merges, &items, "model merges"); err != nil {
			return nil, err
		}
	}
	merges := make([][2]string, len(items))
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil {
			a, b, ok := strings.Cut(s, " ")
			if !ok {
				return nil, invalidf("model merges[%d] %q: want two tokens separated by a space", i, s)
			}
			merges[i] = [2]string{a, b}
			continue
		}
		var pair []string
		if err := json.Unmarshal(it, &pair); err != nil || len(pair) != 2 {
			return nil, invalidf("model merges[%d]: want \"a b\" or [\"a\", \"b\"]", i)
		}
		merges[i] = [2]string{pair[0], pair[1]}
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	b, err := newBPE(vocab, merges, str(m.UnkToken), m.FuseUnk, m.ByteFallback, m.IgnoreMerges, str(m.ContinuingSubwordPrefix), str(m.EndOfWordSuffix))
	if err != nil {
		return nil, err
	}
	return &parsedModel{typ: "BPE", vocab: vocab, unk: b.unk, model: b}, nil
}

// checkIDs rejects ids that are negative or absurdly large.
func checkIDs(vocab map[string]int32) error {
	for tok, id := range vocab {
		if id < 0 || id >= maxVocabID {
			return invalidf("token %q has id %d (want 0 <= id < %d)", tok, id, maxVocabID)
		}
	}
	return nil
}

// parseProcessor reads the post-processor's single and pair templates.
func parseProcessor(raw json.RawMessage) (single, pair template, err error) {
	if isNull(raw) {
		return template{{seq: 0}}, template{{seq: 0}, {seq: 1, typeID: 1}}, nil
	}
	return parseProcessorAt(raw, "post_processor")
}

func parseProcessorAt(raw json.RawMessage, what string) (single, pair template, err error) {
	typ, err := typeOf(raw, what)
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case "Sequence":
		// ByteLevel only trims offsets; the one other processor decides ids.
		var s sequenceJSON
		if err := decode(raw, &s, what); err != nil {
			return nil, nil, err
		}
		found := false
		single, pair = template{{seq: 0}}, template{{seq: 0}, {seq: 1, typeID: 1}}
		for i, item := range s.Processors {
			w := fmt.Sprintf("%s.processors[%d]", what, i)
			if t, err := typeOf(item, w); err != nil || t == "ByteLevel" {
				if err != nil {
					return nil, nil, err
				}
				continue
			}
			if found {
				return nil, nil, &UnsupportedError{Component: what, Found: "Sequence of several id-changing processors", Supported: "one processor besides ByteLevel"}
			}
			if single, pair, err = parseProcessorAt(item, w); err != nil {
				return nil, nil, err
			}
			found = true
		}
		return single, pair, nil
	case "ByteLevel":
		return template{{seq: 0}}, template{{seq: 0}, {seq: 1, typeID: 1}}, nil
	case "BertProcessing", "RobertaProcessing":
		var b bertProcessingJSON
		if err := decode(raw, &b, what); err != nil {
			return nil, nil, err
		}
		var cls, sep int32
		if err := json.Unmarshal(b.Cls[1], &cls); err != nil {
			return nil, nil, invalidf("%s cls: %v", what, err)
		}
		if err := json.Unmarshal(b.Sep[1], &sep); err != nil {
			return nil, nil, invalidf("%s sep: %v", what, err)
		}
		if typ == "RobertaProcessing" {
			single, pair = robertaTemplates(cls, sep)
		} else {
			single, pair = bertTemplates(cls, sep)
		}
		return single, pair, nil
	case "TemplateProcessing":
		return parseTemplate(raw)
	}
	return nil, nil, &UnsupportedError{Component: what, Found: typ, Supported: supportedProcessors}
}

// parseTemplate reads TemplateProcessing's single and pair layouts.
func parseTemplate(raw json.RawMessage) (single, pair template, err error) {
	var tj templateJSON
	if err := json.Unmarshal(raw, &tj); err != nil {
		return nil, nil, invalidf("post_processor: %v", err)
	}
	conv := func(name string, ps []templatePieceJSON) (template, error) {
		var out template
		for _, p := range ps {
			switch {
			case p.SpecialToken != nil:
				sp, ok := tj.SpecialTokens[p.SpecialToken.ID]
				if !ok {
					return nil, invalidf("post_processor %s: special token %q is not in special_tokens", name, p.SpecialToken.ID)
				}
				out = append(out, piece{seq: -1, ids: sp.IDs, typeID: p.SpecialToken.TypeID})
			case p.Sequence != nil && p.Sequence.ID == "A":
				out = append(out, piece{seq: 0, typeID: p.Sequence.TypeID})
			case p.Sequence != nil && p.Sequence.ID == "B":
				out = append(out, piece{seq: 1, typeID: p.Sequence.TypeID})
			default:
				return nil, invalidf("post_processor %s: piece is neither SpecialToken nor Sequence A/B", name)
			}
		}
		return out, nil
	}
	if single, err = conv("single", tj.Single); err != nil {
		return nil, nil, err
	}
	if pair, err = conv("pair", tj.Pair); err != nil {
		return nil, nil, err
	}
	return single, pair, nil
}

// parsePadding reads the padding settings.
func parsePadding(p *paddingJSON) (Padding, error) {
	out := Padding{Direction: p.Direction, PadID: p.PadID, PadTypeID: p.PadTypeID, PadToken: p.PadToken}
	if p.PadToMultipleOf != nil {
		out.PadToMultipleOf = *p.PadToMultipleOf
	}
	var fixed struct {
		Fixed *int `json:"Fixed"`
	}
	var name string
	switch {
	case json.Unmarshal(p.Strategy, &name) == nil && name == "BatchLongest":
	case json.Unmarshal(p.Strategy, &fixed) == nil && fixed.Fixed != nil && *fixed.Fixed >= 0:
		out.Fixed = *fixed.Fixed
	default:
		return Padding{}, invalidf("padding strategy %s: want \"BatchLongest\" or {\"Fixed\": n}", string(p.Strategy))
	}
	return out, nil
}
