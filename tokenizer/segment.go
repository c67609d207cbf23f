package tokenizer

import (
	"sync"
	"unicode/utf8"
)

// slowScratch holds the buffers of the Unicode pipeline.
type slowScratch struct {
	runes               []rune
	scratch, decomposed []byte
}

var slowPool = sync.Pool{New: func() any { return new(slowScratch) }}

// appendSegment normalizes, pre-tokenizes and word-pieces text that holds no
// added token, appending the ids to dst.
//
// The text is cut into chunks at ASCII whitespace, which every step treats
// as a boundary (NFD never reorders across it). An all-ASCII chunk takes a
// byte loop; any other chunk runs the full Unicode pipeline.
func (t *Tokenizer) appendSegment(dst []int32, text string) []int32 {
	var wordArr [128]byte
	word := wordArr[:0]
	var slow *slowScratch // taken from the pool at the first non-ASCII chunk
	for i := 0; i < len(text); {
		if t.isBoundary(text[i]) {
			i++
			continue
		}
		j, ascii := i, true
		for j < len(text) && !t.isBoundary(text[j]) {
			ascii = ascii && text[j] < utf8.RuneSelf
			j++
		}
		if ascii {
			dst, word = t.appendASCIIChunk(dst, text[i:j], word)
		} else {
			if slow == nil {
				slow = slowPool.Get().(*slowScratch)
			}
			slow.runes, slow.scratch, slow.decomposed = t.norm.appendNormalized(slow.runes[:0], text[i:j], slow.scratch, slow.decomposed)
			dst, word = t.appendRunes(dst, slow.runes, word)
		}
		i = j
	}
	if slow != nil {
		slowPool.Put(slow)
	}
	return dst
}

// isBoundary reports ASCII whitespace bytes that separate chunks: tab,
// newline, carriage return and space, plus \v and \f when clean_text is off
// (clean_text deletes those two as control characters).
func (t *Tokenizer) isBoundary(c byte) bool {
	if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
		return true
	}
	return !t.norm.cleanText && (c == '\v' || c == '\f')
}

// appendASCIIChunk tokenizes an ASCII chunk with no whitespace.
func (t *Tokenizer) appendASCIIChunk(dst []int32, chunk string, word []byte) ([]int32, []byte) {
	word = word[:0]
	for k := 0; k < len(chunk); k++ {
		c, keep := t.norm.asciiByte(chunk[k])
		if !keep {
			continue
		}
		if asciiClass[c] == classPunct {
			if len(word) > 0 {
				dst = t.model.appendIDs(dst, word)
				word = word[:0]
			}
			dst = append(dst, t.asciiOne[c])
			continue
		}
		word = append(word, c)
	}
	if len(word) > 0 {
		dst = t.model.appendIDs(dst, word)
	}
	return dst, word
}

// appendRunes pre-tokenizes normalized runes (BertPreTokenizer: split on
// whitespace, isolate punctuation) and word-pieces each word.
func (t *Tokenizer) appendRunes(dst []int32, runes []rune, word []byte) ([]int32, []byte) {
	word = word[:0]
	for _, r := range runes {
		space, punct := isWhitespace(r), isPunct(r)
		if (space || punct) && len(word) > 0 {
			dst = t.model.appendIDs(dst, word)
			word = word[:0]
		}
		switch {
		case space:
		case punct:
			var one [utf8.UTFMax]byte
			dst = t.model.appendIDs(dst, utf8.AppendRune(one[:0], r))
		default:
			word = utf8.AppendRune(word, r)
		}
	}
	if len(word) > 0 {
		dst = t.model.appendIDs(dst, word)
	}
	return dst, word
}
