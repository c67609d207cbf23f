package tokenizer

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// bpe is Hugging Face's BPE model without dropout: a word starts as its
// characters (each looked up in the vocabulary; an unknown character becomes
// its <0xXX> byte pieces with byte_fallback, else unk, fused with unknown
// neighbours when fuse_unk, or is dropped when there is no unk token), then
// the adjacent pair with the lowest merge rank is merged, leftmost first,
// until no pair has a merge.
//
//	"Ġlower" -> "Ġ" "l" "o" "w" "e" "r" -> ... -> "Ġlow" "er"
type bpe struct {
	vocab        map[string]int32
	merges       pairTable // left<<32 | right -> merge
	unk          int32     // -1: none
	fuseUnk      bool
	byteFallback bool
	ignoreMerges bool
	prefix       string // continuing_subword_prefix
	suffix       string // end_of_word_suffix
	bytes        [256]int32
	// low holds the id of each character below U+0200 without prefix or
	// suffix (-1 when absent): ASCII and the whole byte-level alphabet.
	low [0x200]int32
}

type bpeMerge struct{ rank, id int32 }

func newBPE(vocab map[string]int32, merges [][2]string, unk string, fuseUnk, byteFallback, ignoreMerges bool, prefix, suffix string) (*bpe, error) {
	m := &bpe{vocab: vocab, merges: newPairTable(len(merges)), unk: -1, fuseUnk: fuseUnk,
		byteFallback: byteFallback, ignoreMerges: ignoreMerges, prefix: prefix, suffix: suffix}
	if unk != "" {
		id, ok := vocab[unk]
		if !ok {
			return nil, invalidf("model unk_token %q is not in the vocabulary", unk)
		}
		m.unk = id
	}
	for i, mg := range merges {
		a, okA := vocab[mg[0]]
		b, okB := vocab[mg[1]]
		right := mg[1]
		if len(prefix) <= len(right) {
			right = right[len(prefix):]
		}
		c, okC := vocab[mg[0]+right]
		if !okA || !okB || !okC {
			return nil, invalidf("model merges[%d] %q %q: a token or its merge is not in the vocabulary", i, mg[0], mg[1])
		}
		m.merges.put(uint64(uint32(a))<<32|uint64(uint32(b)), bpeMerge{rank: int32(i), id: c})
	}
	for b := range m.bytes {
		m.bytes[b] = -1
		if id, ok := vocab[fmt.Sprintf("<0x%02X>", b)]; ok {
			m.bytes[b] = id
		}
	}
	for c := range m.low {
		m.low[c] = -1
		if id, ok := vocab[string(rune(c))]; ok && prefix == "" && suffix == "" {
			m.low[c] = id
		}
	}
	return m, nil
}

// rankPool holds the pair-rank buffers of merge.
var rankPool = sync.Pool{New: func() any { return new([]bpeMerge) }}

func (m *bpe) appendIDs(dst []int32, word []byte) []int32 {
	if m.ignoreMerges {
		if id, ok := m.vocab[string(word)]; ok {
			return append(dst, id)
		}
	}
	mark := len(dst)
	unk, unkOpen := int32(-1), false
	var buf [64]byte
	for k := 0; k < len(word); {
		r, n := rune(word[k]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(word[k:])
		}
		var id int32 = -1
		if r < rune(len(m.low)) && (n > 1 || r < utf8.RuneSelf) {
			id = m.low[r]
		}
		if id < 0 {
			s := append(buf[:0], word[k:k+n]...)
			if k > 0 && m.prefix != "" {
				s = append(append(buf[:0], m.prefix...), word[k:k+n]...)
			}
			if k+n == len(word) && m.suffix != "" {
				s = append(s, m.suffix...)
			}
			if v, ok := m.vocab[string(s)]; ok {
				id = v
			} else if m.byteFallback && m.allBytes(s) {
				// Hugging Face leaves a pending unk open here, so it lands
				// after these bytes.
				for _, c := range s {
					dst = append(dst, m.bytes[c])
				}
				k += n
				continue
			} else if m.unk >= 0 {
				if unkOpen && !m.fuseUnk {
					dst = append(dst, unk)
				}
				unk, unkOpen = m.unk, true
				k += n
				continue
			} else {
				k += n
				continue
			}
		}
		if unkOpen {
			dst, unkOpen = append(dst, unk), false
		}
		dst = append(dst, id)
		k += n
	}
	if unkOpen {
		dst = append(dst, unk)
	}
	return m.merge(dst, mark)
}

func (m *bpe) allBytes(s []byte) bool {
	for _, c := range s {
		if m.bytes[c] < 0 {
			return false
		}
	}
	return true
}

// merge applies merges to the symbols dst[mark:]: repeatedly the adjacent
// pair with the lowest rank, leftmost first, as Hugging Face's priority queue
// does.
func (m *bpe) merge(dst []int32, mark int) []int32 {
	sym := dst[mark:]
	if len(sym) < 2 {
		return dst
	}
	rp := rankPool.Get().(*[]bpeMerge)
	pairs := (*rp)[:0]
	for i := 0; i+1 < len(sym); i++ {
		pairs = append(pairs, m.pair(sym[i], sym[i+1]))
	}
	for {
		at := -1
		for i, p := range pairs {
			if p.rank >= 0 && (at < 0 || p.rank < pairs[at].rank) {
				at = i
			}
		}
		if at < 0 {
			break
		}
		sym[at] = pairs[at].id
		copy(sym[at+1:], sym[at+2:])
		sym = sym[:len(sym)-1]
		copy(pairs[at:], pairs[at+1:])
		pairs = pairs[:len(pairs)-1]
		if at > 0 {
			pairs[at-1] = m.pair(sym[at-1], sym[at])
		}
		if at < len(pairs) {
			pairs[at] = m.pair(sym[at], sym[at+1])
		}
	}
	*rp = pairs
	rankPool.Put(rp)
	return dst[:mark+len(sym)]
}

// pair returns the merge of two adjacent symbols, rank -1 when none.
func (m *bpe) pair(a, b int32) bpeMerge {
	return m.merges.get(uint64(uint32(a))<<32 | uint64(uint32(b)))
}

// pairTable is an open-addressing hash table from a symbol pair to its
// merge, faster than a Go map for this one lookup in the merge loop.
type pairTable struct {
	keys  []uint64 // key+1; 0 marks an empty slot
	vals  []bpeMerge
	shift uint
}

func newPairTable(n int) pairTable {
	size, shift := 16, uint(60)
	for size < 2*n {
		size, shift = size*2, shift-1
	}
	return pairTable{keys: make([]uint64, size), vals: make([]bpeMerge, size), shift: shift}
}

func (t *pairTable) slot(key uint64) int { return int((key * 0x9E3779B97F4A7C15) >> t.shift) }

// put sets key's merge; a later put of the same key replaces it, as a
// repeated merge in Hugging Face's files keeps its last rank.
func (t *pairTable) put(key uint64, v bpeMerge) {
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		if t.keys[i] == 0 || t.keys[i] == key+1 {
			t.keys[i], t.vals[i] = key+1, v
			return
		}
	}
}

// get returns key's merge, rank -1 when there is none.
func (t *pairTable) get(key uint64) bpeMerge {
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key + 1:
			return t.vals[i]
		case 0:
			return bpeMerge{rank: -1}
		}
	}
}
