package student

import (
	"fmt"
	"math"
)

// inferenceBatch is the number of sequences encoded at once without a graph.
const inferenceBatch = 32

// EncodeQueries returns, per query, its QueryLength token embeddings
// ([Dim] each, unit length), [MASK] augmentation included. Queries are token
// ids with [CLS] and [SEP], unpadded.
func (c *ColBERT) EncodeQueries(queries [][]int32) ([][][]float32, error) {
	return c.encodeSide(queries, true)
}

// EncodeDocs returns, per document, the embeddings of the tokens that take
// part in MaxSim (neither padding nor SkipIDs), [D] marker included.
func (c *ColBERT) EncodeDocs(docs [][]int32) ([][][]float32, error) {
	return c.encodeSide(docs, false)
}

// Dim returns the size of a token embedding.
func (c *ColBERT) Dim() int { return c.cfg.Dim }

func (c *ColBERT) encodeSide(seqs [][]int32, query bool) ([][][]float32, error) {
	out := make([][][]float32, 0, len(seqs))
	for lo := 0; lo < len(seqs); lo += inferenceBatch {
		chunk := seqs[lo:min(lo+inferenceBatch, len(seqs))]
		ids, mask, err := padded(chunk, c.cfg.PadID)
		if err != nil {
			return nil, fmt.Errorf("student: colbert encode: %w", err)
		}
		var in colbertInputs
		if query {
			in = c.prepareQueries(ids, mask)
		} else {
			in = c.prepareDocs(ids, mask)
		}
		p := newEagerPass(c.ps)
		e := c.tokens(p, p.input("ids", in.ids), p.input("attention", in.attn))
		if p.err != nil {
			return nil, fmt.Errorf("student: colbert encode: %w", p.err)
		}
		vecs := e.t.Data().([]float32)
		score := in.score.Data().([]float32)
		L, D := in.ids.Shape()[1], c.cfg.Dim
		for b := range chunk {
			var toks [][]float32
			for j := 0; j < L; j++ {
				if score[b*L+j] != 0 {
					r := (b*L + j) * D
					toks = append(toks, vecs[r:r+D:r+D])
				}
			}
			out = append(out, toks)
		}
	}
	return out, nil
}

// Score returns MaxSim(query, doc) for each document.
func (c *ColBERT) Score(query []int32, docs ...[]int32) ([]float32, error) {
	q, err := c.EncodeQueries([][]int32{query})
	if err != nil {
		return nil, err
	}
	ds, err := c.EncodeDocs(docs)
	if err != nil {
		return nil, err
	}
	scores := make([]float32, len(ds))
	for i, d := range ds {
		scores[i] = MaxSim(q[0], d)
	}
	return scores, nil
}

// MaxSim returns Σ_i max_j q_i·d_j over token embeddings (0 for an empty
// document).
func MaxSim(q, d [][]float32) float32 {
	if len(d) == 0 {
		return 0
	}
	var s float32
	for _, qi := range q {
		best := float32(math.Inf(-1))
		for _, dj := range d {
			var v float32
			for k := range qi {
				v += qi[k] * dj[k]
			}
			best = max(best, v)
		}
		s += best
	}
	return s
}
