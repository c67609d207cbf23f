package training

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// MLMSequence is one pretraining sequence: "[CLS] title [SEP] body [SEP]"
// (token types 0 for the title segment, 1 for the body, as a
// cross-encoder reads "[CLS] query [SEP] document [SEP]"), or
// "[CLS] body [SEP]" for a document without a title.
type MLMSequence struct {
	DocID string
	IDs   []int32
	Types []int32
}

// Vocab facts masking needs: the special tokens and which tokens continue a
// word (WordPiece's "##" pieces).
type mlmVocab struct {
	size                int
	cls, sep, mask, pad int32
	continuation        []bool // by id
}

func newMLMVocab(tok *tokenizer.Tokenizer) mlmVocab {
	sp := tok.Special()
	v := mlmVocab{size: tok.VocabSize(), cls: sp.CLS, sep: sp.SEP, mask: sp.MASK, pad: sp.PAD}
	v.continuation = make([]bool, v.size)
	for id := range int32(v.size) {
		v.continuation[id] = strings.HasPrefix(tok.IDToToken(id), "##")
	}
	return v
}

// PretrainSequences cuts documents into pretraining sequences of at most
// maxLen tokens: the title (at most a quarter of maxLen) is the first
// segment of every sequence of its document, and the body is split into
// consecutive chunks that fill the rest, each chunk ending at a word
// boundary where one exists (a word longer than a chunk is cut). Documents
// with no tokens are left out.
func PretrainSequences(docs []datasets.Document, tok *tokenizer.Tokenizer, maxLen int) []MLMSequence {
	v := newMLMVocab(tok)
	var out []MLMSequence
	for _, d := range docs {
		title := tok.Tokenize(d.Title)
		body := tok.Tokenize(d.Text)
		if len(title) > maxLen/4 {
			title = title[:maxLen/4]
		}
		if len(title) == 0 {
			if len(body) == 0 {
				continue
			}
			for _, chunk := range wordChunks(body, maxLen-2, v.continuation) {
				ids := append(append([]int32{v.cls}, chunk...), v.sep)
				out = append(out, MLMSequence{DocID: d.ID, IDs: ids, Types: make([]int32, len(ids))})
			}
			continue
		}
		chunks := wordChunks(body, maxLen-3-len(title), v.continuation)
		if len(chunks) == 0 {
			chunks = [][]int32{nil}
		}
		for _, chunk := range chunks {
			ids := append(append([]int32{v.cls}, title...), v.sep)
			types := make([]int32, len(ids), maxLen)
			if len(chunk) > 0 {
				ids = append(append(ids, chunk...), v.sep)
				for range len(chunk) + 1 {
					types = append(types, 1)
				}
			}
			out = append(out, MLMSequence{DocID: d.ID, IDs: ids, Types: types})
		}
	}
	return out
}

// wordChunks splits ids into consecutive chunks of at most n tokens, each
// ending before a word start when the chunk holds one.
func wordChunks(ids []int32, n int, continuation []bool) [][]int32 {
	if n <= 0 {
		return nil
	}
	var out [][]int32
	for len(ids) > 0 {
		end := min(n, len(ids))
		if end < len(ids) {
			cut := end
			for cut > 0 && continuation[ids[cut]] { // ids[cut] continues the word at the boundary
				cut--
			}
			if cut > 0 {
				end = cut
			}
		}
		out = append(out, ids[:end])
		ids = ids[end:]
	}
	return out
}

// Masking is BERT's masked-language-model corruption of one sequence.
type Masking struct {
	Prob           float64 // share of the tokens to predict (BERT: 0.15)
	MaxPredictions int     // at most this many per sequence
	WholeWord      bool    // mask every piece of a word together
}

// Masked is a corrupted sequence: the input ids, and the positions and
// original ids of the tokens to predict, in position order.
type Masked struct {
	IDs       []int32
	Positions []int
	Targets   []int32
}

// Mask corrupts seq as BERT's create_pretraining_data.py does (and Hugging
// Face's DataCollatorForWholeWordMask): the candidates are the words of
// the sequence ([CLS] and [SEP] never), a word being a token and the "##"
// pieces that follow it (or each token alone without WholeWord); the
// number to predict is round(len(seq)·Prob), at least 1 and at most
// MaxPredictions; words are taken in a random order, a word that would
// exceed that number is passed over. Each chosen token becomes [MASK] with
// probability 0.8, stays itself with 0.1 and becomes a token drawn
// uniformly from the vocabulary with 0.1. All randomness comes from r.
func (mk Masking) Mask(r *rand.Rand, seq []int32, v mlmVocab) Masked {
	var words [][]int
	for i, id := range seq {
		if id == v.cls || id == v.sep || id == v.pad {
			continue
		}
		if mk.WholeWord && len(words) > 0 && v.continuation[id] && words[len(words)-1][len(words[len(words)-1])-1] == i-1 {
			words[len(words)-1] = append(words[len(words)-1], i)
			continue
		}
		words = append(words, []int{i})
	}
	want := min(mk.MaxPredictions, max(1, int(math.Round(float64(len(seq))*mk.Prob))))
	r.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
	var picked []int
	for _, w := range words {
		if len(picked) >= want {
			break
		}
		if len(picked)+len(w) > want {
			continue
		}
		picked = append(picked, w...)
	}
	sort.Ints(picked)
	out := Masked{IDs: append([]int32(nil), seq...)}
	for _, i := range picked {
		out.Positions = append(out.Positions, i)
		out.Targets = append(out.Targets, seq[i])
		switch {
		case r.Float64() < 0.8:
			out.IDs[i] = v.mask
		case r.Float64() < 0.5:
		default:
			out.IDs[i] = int32(r.IntN(v.size))
		}
	}
	return out
}

// mlmBatch builds the batch of seqs (each masked with its own generator),
// padded to width S, with maxPred slots per sequence, used slots first.
func mlmBatch(seqs []MLMSequence, rngs []*rand.Rand, mk Masking, v mlmVocab, S int) *student.MLMBatch {
	var pos []int
	var tgt []int32
	ids, types := make([][]int32, len(seqs)), make([][]int32, len(seqs))
	for i, s := range seqs {
		m := mk.Mask(rngs[i], s.IDs, v)
		ids[i], types[i] = m.IDs, s.Types
		for k, p := range m.Positions {
			pos, tgt = append(pos, i*S+p), append(tgt, m.Targets[k])
		}
	}
	for len(pos) < len(seqs)*mk.MaxPredictions {
		pos, tgt = append(pos, 0), append(tgt, -1)
	}
	p := tokenizer.Pad(ids, types, S, v.pad)
	return &student.MLMBatch{IDs: p.Rows(p.IDs), TypeIDs: p.Rows(p.TypeIDs), Mask: p.Rows(p.Mask), Positions: pos, Targets: tgt}
}
