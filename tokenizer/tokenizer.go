package tokenizer

import (
	"sync"
)

// Tokenizer is a Hugging Face tokenizer loaded from a tokenizer.json (BERT
// WordPiece, SentencePiece Unigram, byte-level BPE, ...) or a BERT vocab.txt.
// It is immutable after loading and safe for concurrent use by several
// goroutines.
type Tokenizer struct {
	gen        *pipeline // the general path; nil for the BERT fast path
	norm       normalizer
	model      *wordPiece
	added      addedTokens
	single     template
	pair       template
	truncation Truncation
	hasTrunc   bool
	padding    Padding
	hasPadding bool

	decoder   decoder          // nil: tokens joined with spaces
	isSpecial []bool           // by id: a special added token (Decode's skipSpecial)
	emptyID   int32            // the id of the empty token, -1 when there is none
	vocab     []string         // id -> token ("" for unused ids)
	ids       map[string]int32 // token -> id, model vocabulary and added tokens
	special   SpecialIDs
	punct     []bool     // by id: the token is one punctuation character
	asciiOne  [128]int32 // ids of one-byte ASCII words, for the fast path
	sha256hex string
}

// scratch holds the token id buffers of the string-taking Encode methods.
type scratch struct{ a, b []int32 }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Tokenize returns the token ids of text without special tokens and
// without truncation. The teacher tokenizes each document once with it and
// builds pairs with BuildPair.
func (t *Tokenizer) Tokenize(text string) []int32 {
	return t.AppendTokens(nil, text)
}

// AppendTokens appends the token ids of text to dst and returns the
// extended slice, like Tokenize without allocating when dst has room.
func (t *Tokenizer) AppendTokens(dst []int32, text string) []int32 {
	if t.gen != nil {
		return t.added.appendSplit(dst, text, t.gen.appendSegment)
	}
	return t.added.appendSplit(dst, text, t.appendBERTSegment)
}

// appendBERTSegment runs the BERT fast path on text without added tokens.
func (t *Tokenizer) appendBERTSegment(dst []int32, text string, _ bool) []int32 {
	return t.appendSegment(dst, text)
}

// EncodeSingle encodes one text with the single-sequence template
// ([CLS] text [SEP] for BERT), truncated so the result has at most maxLen
// positions. maxLen <= 0 means no truncation. No padding is added.
func (t *Tokenizer) EncodeSingle(text string, maxLen int) Encoding {
	var e Encoding
	t.EncodeSingleTo(&e, text, maxLen)
	return e
}

// EncodePair encodes a text pair with the pair template
// ([CLS] a [SEP] b [SEP] for BERT, type ids 0 for a and 1 for b), truncated
// to at most maxLen positions as Hugging Face does (LongestFirst unless the
// file says otherwise, special tokens counted). maxLen <= 0 means no
// truncation. No padding is added.
func (t *Tokenizer) EncodePair(a, b string, maxLen int) Encoding {
	var e Encoding
	t.EncodePairTo(&e, a, b, maxLen)
	return e
}

// EncodeSingleTo is EncodeSingle writing into dst, reusing its slices.
func (t *Tokenizer) EncodeSingleTo(dst *Encoding, text string, maxLen int) {
	s := scratchPool.Get().(*scratch)
	s.a = t.AppendTokens(s.a[:0], text)
	t.BuildSingleTo(dst, s.a, maxLen)
	scratchPool.Put(s)
}

// EncodePairTo is EncodePair writing into dst, reusing its slices.
func (t *Tokenizer) EncodePairTo(dst *Encoding, a, b string, maxLen int) {
	s := scratchPool.Get().(*scratch)
	s.a = t.AppendTokens(s.a[:0], a)
	s.b = t.AppendTokens(s.b[:0], b)
	t.BuildPairTo(dst, s.a, s.b, maxLen)
	scratchPool.Put(s)
}

// BuildSingle applies truncation and the single template to ids from
// Tokenize, giving what EncodeSingle gives for the same text.
func (t *Tokenizer) BuildSingle(ids []int32, maxLen int) Encoding {
	var e Encoding
	t.BuildSingleTo(&e, ids, maxLen)
	return e
}

// BuildPair applies truncation and the pair template to ids from Tokenize,
// giving what EncodePair gives for the same texts.
func (t *Tokenizer) BuildPair(a, b []int32, maxLen int) Encoding {
	var e Encoding
	t.BuildPairTo(&e, a, b, maxLen)
	return e
}

// BuildSingleTo is BuildSingle writing into dst, reusing its slices.
func (t *Tokenizer) BuildSingleTo(dst *Encoding, ids []int32, maxLen int) {
	if maxLen > 0 {
		n, _ := t.strategy().keep(len(ids), 0, max(0, maxLen-t.single.specials()), false)
		ids = t.direction().cut(ids, n)
	}
	t.single.fill(dst, ids, nil)
}

// BuildPairTo is BuildPair writing into dst, reusing its slices.
func (t *Tokenizer) BuildPairTo(dst *Encoding, a, b []int32, maxLen int) {
	if maxLen > 0 {
		na, nb := t.strategy().keep(len(a), len(b), max(0, maxLen-t.pair.specials()), true)
		a, b = t.direction().cut(a, na), t.direction().cut(b, nb)
	}
	t.pair.fill(dst, a, b)
}

// strategy returns the file's truncation strategy, LongestFirst by default.
func (t *Tokenizer) strategy() Strategy {
	if t.hasTrunc && t.truncation.Strategy != "" {
		return t.truncation.Strategy
	}
	return LongestFirst
}

// direction returns the file's truncation direction, Right by default.
func (t *Tokenizer) direction() Direction {
	if t.hasTrunc && t.truncation.Direction == Left {
		return Left
	}
	return Right
}

// Truncation returns the truncation settings of the tokenizer.json, and
// false when it has none.
func (t *Tokenizer) Truncation() (Truncation, bool) { return t.truncation, t.hasTrunc }

// Padding returns the padding settings of the tokenizer.json, and false when
// it has none.
func (t *Tokenizer) Padding() (Padding, bool) { return t.padding, t.hasPadding }
