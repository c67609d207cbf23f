package student

import (
	"fmt"
	"slices"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student/nn"
	"github.com/distill-ml/distill/tokenizer"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ColBERT is the late-interaction student: BERT, a bias-free projection to
// Dim ("linear.weight" [Dim, H]) and L2 normalisation per token; a query
// scores against a document by MaxSim.
//
// As in ColBERT, the marker [Q] (QueryMarkerID) or [D] (DocMarkerID) is
// inserted after [CLS]; queries are padded with [MASK] to QueryLength and
// all their tokens score (query augmentation); document padding and SkipIDs
// (punctuation) are left out of MaxSim.
//
// A ColBERT is not safe for concurrent use.
type ColBERT struct {
	cfg  ColBERTConfig
	ps   *paramSet
	skip map[int32]bool
}

var _ Model = (*ColBERT)(nil)

// NewColBERT creates the parameters of a ColBERT student in g, drawn from
// BERT's initializer with the given seed.
func NewColBERT(g *gorgonia.ExprGraph, cfg ColBERTConfig, seed uint64) (*ColBERT, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ps := newParamSet(g, seed)
	addEncoder(ps, cfg.Encoder)
	ps.linear("linear", cfg.Dim, cfg.Encoder.Hidden, false)
	skip := map[int32]bool{}
	for _, id := range cfg.SkipIDs {
		skip[id] = true
	}
	return &ColBERT{cfg: cfg, ps: ps, skip: skip}, nil
}

// Config returns the model's settings.
func (c *ColBERT) Config() Config {
	cfg := c.cfg
	cfg.SkipIDs = slices.Clone(cfg.SkipIDs)
	return Config{Kind: KindColBERT, ColBERT: &cfg}
}

// Params returns the encoder's parameters followed by linear.weight.
func (c *ColBERT) Params() []Param { return c.ps.params() }

// LoadWeights copies tensors into the parameters of the same name.
func (c *ColBERT) LoadWeights(src map[string]checkpoints.Tensor, strict bool) (LoadReport, error) {
	return c.ps.load(src, strict)
}

// colbertInputs are the prepared token tensors of one side.
type colbertInputs struct {
	ids   *tensor.Dense // [B, L] int
	attn  *tensor.Dense // [B, L] attention mask
	score *tensor.Dense // [B, L] MaxSim mask
}

func (in colbertInputs) list() []*tensor.Dense { return []*tensor.Dense{in.ids, in.attn, in.score} }

// withMarker inserts marker after the first token of the n real tokens of
// ids and keeps at most limit tokens (the first limit−1 and the last).
func withMarker(ids []int32, n int, marker int32, limit int) []int32 {
	out := make([]int32, 0, n+1)
	out = append(out, ids[0], marker)
	out = append(out, ids[1:n]...)
	if len(out) > limit {
		out = append(out[:limit-1], out[len(out)-1])
	}
	return out
}

// prepareQueries inserts [Q] and pads with [MASK] to QueryLength.
func (c *ColBERT) prepareQueries(ids, mask [][]int32) colbertInputs {
	L := c.cfg.QueryLength
	toks := make([][]int32, len(ids))
	for i, n := range lengths(ids, mask) {
		toks[i] = withMarker(ids[i], max(n, 1), c.cfg.QueryMarkerID, L)
	}
	p := tokenizer.Pad(toks, nil, L, c.cfg.MaskID)
	attn, score := p.Mask, make([]int32, len(p.Mask))
	for j := range score {
		score[j] = 1
	}
	if c.cfg.AttendToMaskTokens {
		attn = score
	}
	return colbertInputs{intMatrix(p.Rows(p.IDs)), floatMatrix(p.Rows(attn)), floatMatrix(p.Rows(score))}
}

// prepareDocs inserts [D], keeps at most MaxPosition tokens and masks
// padding and SkipIDs out of MaxSim.
func (c *ColBERT) prepareDocs(ids, mask [][]int32) colbertInputs {
	L := min(len(ids[0])+1, c.cfg.Encoder.MaxPosition)
	toks := make([][]int32, len(ids))
	for i, n := range lengths(ids, mask) {
		toks[i] = withMarker(ids[i], max(n, 1), c.cfg.DocMarkerID, L)
	}
	p := tokenizer.Pad(toks, nil, L, c.cfg.PadID)
	score := make([]int32, len(p.Mask))
	for j, m := range p.Mask {
		if m != 0 && !c.skip[p.IDs[j]] {
			score[j] = 1
		}
	}
	return colbertInputs{intMatrix(p.Rows(p.IDs)), floatMatrix(p.Rows(p.Mask)), floatMatrix(p.Rows(score))}
}

// tokens maps prepared ids to normalised token embeddings [B·L, Dim].
func (c *ColBERT) tokens(p *pass, ids, attn ref) ref {
	h := encode(p, c.cfg.Encoder, ids, attn)
	return p.apply(nn.NewL2Normalize(0), p.linear("linear", h, false))
}

// ScoreTriples adds MaxSim(query, positive) and MaxSim(query, negative) to
// the graph. The positives and negatives are encoded as one batch of 2B.
func (c *ColBERT) ScoreTriples(b *TripleBatch) (sPos, sNeg *gorgonia.Node, aux Aux, err error) {
	q, d, err := c.prepareTriples(b)
	if err != nil {
		return nil, nil, Aux{}, err
	}
	B := len(b.QueryIDs)
	p := newGraphPass(c.ps)
	qi, qa, qs := p.input("query_ids", q.ids), p.input("query_attention", q.attn), p.input("query_score", q.score)
	di, da, ds := p.input("doc_ids", d.ids), p.input("doc_attention", d.attn), p.input("doc_score", d.score)
	qe := c.tokens(p, qi, qa) // [B·Lq, Dim]
	de := c.tokens(p, di, da) // [2B·Ld, Dim]
	pos := p.apply(nn.NewMaxSim(0), qe, qs, de, ds)
	neg := p.apply(nn.NewMaxSim(B), qe, qs, de, ds)
	if p.err != nil {
		return nil, nil, Aux{}, fmt.Errorf("student: colbert: %w", p.err)
	}
	inputs := p.inputs
	feed := func(nb *TripleBatch) error {
		q, d, err := c.prepareTriples(nb)
		if err != nil {
			return err
		}
		return feedInputs(inputs, append(q.list(), d.list()...))
	}
	return pos.n, neg.n, Aux{Inputs: inputs, feed: feed}, nil
}

func (c *ColBERT) prepareTriples(b *TripleBatch) (q, d colbertInputs, err error) {
	if err := b.Validate(); err != nil {
		return q, d, err
	}
	q = c.prepareQueries(b.QueryIDs, b.QueryMask)
	d = c.prepareDocs(append(slices.Clone(b.PosIDs), b.NegIDs...), append(slices.Clone(b.PosMask), b.NegMask...))
	return q, d, nil
}

// feedInputs binds new values to input nodes of the same shapes.
func feedInputs(nodes []*gorgonia.Node, vals []*tensor.Dense) error {
	for i, n := range nodes {
		if !n.Shape().Eq(vals[i].Shape()) {
			return fmt.Errorf("student: feed %s: batch shape %v, the graph was built for %v", n.Name(), vals[i].Shape(), n.Shape())
		}
		if err := gorgonia.Let(n, vals[i]); err != nil {
			return fmt.Errorf("student: feed %s: %w", n.Name(), err)
		}
	}
	return nil
}
