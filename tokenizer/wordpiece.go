package tokenizer

import "unicode/utf8"

// wordPiece is the WordPiece model: greedy longest-match-first segmentation
// of one pre-tokenized word into vocabulary entries.
//
//	"unaffable" -> "una", "##ffa", "##ble"
//
// Special cases:
//
//	a word of more than maxChars characters -> unk
//	a word with any position where no entry matches -> unk (the whole word)
type wordPiece struct {
	start    map[string]int32 // every vocabulary entry, for the first piece of a word
	cont     map[string]int32 // entries "<prefix>x" keyed by "x", for later pieces
	unk      int32
	maxChars int
	maxStart int // longest key in start, in bytes
	maxCont  int // longest key in cont, in bytes
}

// newWordPiece indexes vocab for segmentation.
func newWordPiece(vocab map[string]int32, prefix string, unk int32, maxChars int) *wordPiece {
	m := &wordPiece{start: vocab, cont: make(map[string]int32), unk: unk, maxChars: maxChars}
	for tok, id := range vocab {
		m.maxStart = max(m.maxStart, len(tok))
		if len(tok) > len(prefix) && tok[:len(prefix)] == prefix {
			m.cont[tok[len(prefix):]] = id
			m.maxCont = max(m.maxCont, len(tok)-len(prefix))
		}
	}
	return m
}

// appendIDs appends the ids of word's pieces to dst.
func (m *wordPiece) appendIDs(dst []int32, word []byte) []int32 {
	if len(word) > m.maxChars && utf8.RuneCount(word) > m.maxChars {
		return append(dst, m.unk)
	}
	mark := len(dst)
	dict, limit := m.start, m.maxStart
	for start := 0; start < len(word); {
		end := min(len(word), start+limit)
		for end < len(word) && !utf8.RuneStart(word[end]) {
			end--
		}
		found := false
		for end > start {
			if id, ok := dict[string(word[start:end])]; ok {
				dst = append(dst, id)
				found = true
				break
			}
			end--
			for end > start && !utf8.RuneStart(word[end]) {
				end--
			}
		}
		if !found {
			return append(dst[:mark], m.unk)
		}
		start = end
		dict, limit = m.cont, m.maxCont
	}
	return dst
}
