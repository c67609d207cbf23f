package tokenizer

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// wordModel turns one pre-tokenized word into token ids.
type wordModel interface {
	appendIDs(dst []int32, word []byte) []int32
}

var (
	_ wordModel = (*wordPiece)(nil)
	_ wordModel = (*unigram)(nil)
	_ wordModel = (*bpe)(nil)
)

// unigram is SentencePiece's Unigram model as Hugging Face runs it: the
// segmentation of a word with the highest total score (Viterbi over the
// pieces that match at each position; ties keep the shorter piece found
// first). A character no piece covers becomes unk with score min-10, and
// consecutive unknown characters fuse into one unk (or, with byte_fallback,
// into the <0xXX> pieces of their bytes).
//
//	"▁unaffable" -> "▁un" "aff" "able"
type unigram struct {
	trie     byteTrie
	scores   []float64 // by id
	ids      map[string]int32
	unk      int32
	unkScore float64
	bytes    [256]int32 // ids of <0x00>..<0xFF>, -1 when absent; nil-like when !byteFallback
	fallback bool
}

// unigramPiece is one vocabulary entry.
type unigramPiece struct {
	piece string
	score float64
}

func newUnigram(vocab []unigramPiece, unk int, byteFallback bool) (*unigram, error) {
	if len(vocab) == 0 {
		return nil, invalidf("model vocab is empty")
	}
	if unk < 0 || unk >= len(vocab) {
		return nil, invalidf("model unk_id %d is outside the vocabulary (size %d)", unk, len(vocab))
	}
	u := &unigram{scores: make([]float64, len(vocab)), ids: make(map[string]int32, len(vocab)), unk: int32(unk), fallback: byteFallback}
	minScore := math.Inf(1)
	for id, p := range vocab {
		u.scores[id] = p.score
		u.ids[p.piece] = int32(id) // a repeated piece keeps its last id, as in Hugging Face
		minScore = min(minScore, p.score)
	}
	u.unkScore = minScore - 10
	u.trie = newByteTrie(u.ids)
	for b := range u.bytes {
		u.bytes[b] = -1
		if id, ok := u.ids[fmt.Sprintf("<0x%02X>", b)]; ok {
			u.bytes[b] = id
		}
	}
	return u, nil
}

// viterbiNode is the best path ending at a byte position.
type viterbiNode struct {
	score float64
	start int32 // -1: not reached yet
	id    int32
}

var viterbiPool = sync.Pool{New: func() any { return new([]viterbiNode) }}

func (u *unigram) appendIDs(dst []int32, word []byte) []int32 {
	bp := viterbiPool.Get().(*[]viterbiNode)
	best := *bp
	if cap(best) < len(word)+1 {
		best = make([]viterbiNode, len(word)+1)
	}
	best = best[:len(word)+1]
	best[0] = viterbiNode{start: 0}
	for i := 1; i < len(best); i++ {
		best[i].start = -1
	}
	for start := 0; start < len(word); {
		mblen := 1
		if word[start] >= utf8.RuneSelf {
			_, mblen = utf8.DecodeRune(word[start:])
		}
		base := best[start].score
		single := false
		node := u.trie.root[word[start]]
		for k := start; node >= 0; {
			if id := u.trie.ids[node]; id >= 0 {
				end := k + 1
				if c := base + u.scores[id]; best[end].start < 0 || c > best[end].score {
					best[end] = viterbiNode{score: c, start: int32(start), id: id}
				}
				single = single || end-start == mblen
			}
			if k++; k == len(word) {
				break
			}
			node = u.trie.child(node, word[k])
		}
		if !single {
			end := start + mblen
			if c := base + u.unkScore; best[end].start < 0 || c > best[end].score {
				best[end] = viterbiNode{score: c, start: int32(start), id: u.unk}
			}
		}
		start += mblen
	}
	// Walk back, then append in order, fusing runs of unk.
	mark := len(dst)
	for end := len(word); end > 0; {
		n := best[end]
		dst = append(dst, n.id, n.start, int32(end))
		end = int(n.start)
	}
	// dst[mark:] holds (id, start, end) triples in reverse order; rewrite in place.
	triples := dst[mark:]
	out := dst[:mark]
	var tmp [48]int32
	rev := append(tmp[:0], triples...)
	for t := len(rev) - 3; t >= 0; t -= 3 {
		id, s, e := rev[t], rev[t+1], rev[t+2]
		if id != u.unk {
			out = append(out, id)
			continue
		}
		for t-3 >= 0 && rev[t-3] == u.unk {
			t -= 3
			e = rev[t+2]
		}
		out = u.appendUnknown(out, word[s:e])
	}
	*bp = best
	viterbiPool.Put(bp)
	return out
}

// appendUnknown appends the id of a fused run of unknown characters: the
// piece itself when the vocabulary has it, else its bytes' <0xXX> pieces
// when byte_fallback is on and all exist, else unk.
func (u *unigram) appendUnknown(dst []int32, s []byte) []int32 {
	if id, ok := u.ids[string(s)]; ok {
		return append(dst, id)
	}
	if u.fallback {
		all := true
		for _, c := range s {
			all = all && u.bytes[c] >= 0
		}
		if all {
			for _, c := range s {
				dst = append(dst, u.bytes[c])
			}
			return dst
		}
	}
	return append(dst, u.unk)
}

// byteTrie is a trie over the bytes of vocabulary entries. Node 0 is the
// root; ids[node] is the entry ending there or -1. The children of a node
// are labels[first[n]:first[n+1]] (sorted) with nodes kids[...]; the root's
// children are also in a direct table.
type byteTrie struct {
	root   [256]int32
	first  []int32
	labels []byte
	kids   []int32
	ids    []int32
}

func newByteTrie(vocab map[string]int32) byteTrie {
	// Sorted entries put each node's subtree in one contiguous range, its
	// own entry first; nodes are laid out breadth first.
	type entry struct {
		s  string
		id int32
	}
	entries := make([]entry, 0, len(vocab))
	for s, id := range vocab {
		if s != "" {
			entries = append(entries, entry{s, id})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.s, b.s) })
	type span struct{ lo, hi, depth int }
	queue := []span{{0, len(entries), 0}}
	var t byteTrie
	for i := 0; i < len(queue); i++ {
		sp := queue[i]
		t.first = append(t.first, int32(len(t.labels)))
		k, id := sp.lo, int32(-1)
		if k < sp.hi && len(entries[k].s) == sp.depth {
			id = entries[k].id
			k++
		}
		t.ids = append(t.ids, id)
		for k < sp.hi {
			c := entries[k].s[sp.depth]
			j := k + 1
			for j < sp.hi && entries[j].s[sp.depth] == c {
				j++
			}
			t.labels = append(t.labels, c)
			t.kids = append(t.kids, int32(len(queue)))
			queue = append(queue, span{k, j, sp.depth + 1})
			k = j
		}
	}
	t.first = append(t.first, int32(len(t.labels)))
	for i := range t.root {
		t.root[i] = t.child(0, byte(i))
	}
	return t
}

// child returns the child of node along byte c, or -1.
func (t *byteTrie) child(node int32, c byte) int32 {
	lo, end := t.first[node], t.first[node+1]
	for hi := end; hi-lo > 8; { // narrow to the first label >= c
		mid := int32(uint32(lo+hi) >> 1)
		if t.labels[mid] < c {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for ; lo < end; lo++ {
		if l := t.labels[lo]; l >= c {
			if l == c {
				return t.kids[lo]
			}
			return -1
		}
	}
	return -1
}
