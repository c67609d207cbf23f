package tokenizer

import "sync"

// pipeline is the general path of a tokenizer.json: normalizer,
// normalized added tokens, pre-tokenizer and model, each one of the
// components this package implements. BERT WordPiece files take the faster
// specialised path of segment.go instead.
type pipeline struct {
	norm  textNormalizer // nil: none
	pre   preTokenizer   // nil: the whole text is one word
	model wordModel
	cache *wordCache
	// firstMatters is set when a Metaspace pre-tokenizer prepends to the
	// text's first word only, which then depends on where the text starts.
	firstMatters bool
	normAdded    addedTokens // added tokens with normalized=true
}

// pipeScratch holds the buffers of one pipeline run.
type pipeScratch struct {
	src        []byte // the text, for the normalizer
	normalized []byte
	in, out    words
}

var pipePool = sync.Pool{New: func() any { return new(pipeScratch) }}

// appendSegment tokenizes text that holds no raw added token. first is true
// when text starts the input.
func (p *pipeline) appendSegment(dst []int32, text string, first bool) []int32 {
	if text == "" {
		return dst
	}
	s := pipePool.Get().(*pipeScratch)
	if p.norm != nil {
		s.src = append(s.src[:0], text...)
		if first && p.firstMatters && dropsPrefix(p.norm, s.src) {
			// Hugging Face's "first" test is on the original offset of the
			// normalized text's start, which a normalizer that deletes the
			// text's first characters moves past 0.
			first = false
		}
		s.normalized = p.norm.normalize(s.normalized[:0], s.src)
	} else {
		s.normalized = append(s.normalized[:0], text...)
	}
	if len(p.normAdded.tokens) == 0 {
		// Most files: no split, and no string copy of the normalized text.
		dst = p.appendWords(dst, s, s.normalized, first)
	} else {
		dst = p.normAdded.appendSplit(dst, string(s.normalized), func(dst []int32, piece string, atStart bool) []int32 {
			return p.appendWords(dst, s, []byte(piece), first && atStart)
		})
	}
	pipePool.Put(s)
	return dst
}

// appendWords pre-tokenizes a normalized piece and runs the model on each word.
func (p *pipeline) appendWords(dst []int32, s *pipeScratch, piece []byte, first bool) []int32 {
	s.in.reset()
	s.in.add(piece)
	ws := &s.in
	if p.pre != nil {
		s.out.reset()
		p.pre.split(&s.out, &s.in, first)
		ws = &s.out
	}
	for i := 0; i < ws.len(); i++ {
		if p.cache != nil {
			dst = p.cache.appendIDs(dst, p.model, ws.word(i))
		} else {
			dst = p.model.appendIDs(dst, ws.word(i))
		}
	}
	return dst
}
