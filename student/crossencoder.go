package student

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/checkpoints"
)

// CrossEncoder is Hugging Face's BertForSequenceClassification with one
// logit: BERT reads a pair as one sequence "[CLS] q [SEP] d [SEP]" with
// token types 0…0 1…1, and the relevance score is
//
//	s = W_c·tanh(W_p·h_[CLS] + b_p) + b_c
//
// Head parameters: bert.pooler.dense.{weight [H,H], bias [H]},
// classifier.{weight [1,H], bias [1]}. A Hugging Face cross-encoder such
// as cross-encoder/ms-marco-MiniLM-L-6-v2 loads with LoadWeights by name,
// and package export writes the model back as ONNX in that layout.
//
// As a Model, ScoreTriples scores (query, positive) and (query, negative)
// pairs and Score reranks documents for a query; ScorePairs and Logits take
// pairs directly.
//
// A CrossEncoder is not safe for concurrent use.
type CrossEncoder struct {
	cfg CrossEncoderConfig
	ps  *paramSet
}

var _ Model = (*CrossEncoder)(nil)

// NewCrossEncoder creates the parameters of a cross-encoder in g, drawn
// from BERT's initializer with the given seed.
func NewCrossEncoder(g *gorgonia.ExprGraph, cfg CrossEncoderConfig, seed uint64) (*CrossEncoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ps := newParamSet(g, seed)
	addEncoder(ps, cfg.Encoder)
	ps.linear("bert.pooler.dense", cfg.Encoder.Hidden, cfg.Encoder.Hidden, true)
	ps.linear("classifier", 1, cfg.Encoder.Hidden, true)
	return &CrossEncoder{cfg: cfg, ps: ps}, nil
}

// Config returns the model's settings.
func (m *CrossEncoder) Config() Config {
	cfg := m.cfg
	return Config{Kind: KindCrossEncoder, CrossEncoder: &cfg}
}

// Params returns the encoder's parameters followed by the pooler's and the
// classifier's.
func (m *CrossEncoder) Params() []Param { return m.ps.params() }

// LoadWeights copies tensors into the parameters of the same name.
func (m *CrossEncoder) LoadWeights(src map[string]checkpoints.Tensor, strict bool) (LoadReport, error) {
	return m.ps.load(src, strict)
}

// logits maps ids, types and mask [B, S] to the scores [B].
func (m *CrossEncoder) logits(p *pass, S int, ids, types, mask ref) ref {
	c := m.cfg.Encoder
	x := embedTyped(p, c, ids, types) // [B·S, H]
	for i := range c.Layers {
		x = encoderLayer(p, layerPrefix(i), c, x, mask)
	}
	cls := p.apply(&firstTokens{S: S}, x)                                     // [B, H]
	pooled := p.apply(tanhKernel{}, p.linear("bert.pooler.dense", cls, true)) // [B, H]
	return p.apply(firstColumn{}, p.linear("classifier", pooled, true))       // [B, 1] → [B]
}

// PairAux is what ScorePairs returns besides the logits.
type PairAux struct {
	// Inputs are the graph's batch input nodes: ids, token types, mask.
	Inputs []*gorgonia.Node

	feed func(*PairBatch) error
}

// Feed binds a new batch of the same shape to the graph's inputs, ready for
// the next run of the machine.
func (a PairAux) Feed(b *PairBatch) error {
	if a.feed == nil {
		return fmt.Errorf("student: PairAux.Feed on a PairAux not returned by ScorePairs")
	}
	return a.feed(b)
}

// ScorePairs adds the logits [B] of a batch of pairs to the model's graph.
func (m *CrossEncoder) ScorePairs(b *PairBatch) (*gorgonia.Node, PairAux, error) {
	vals, err := m.preparePairs(b)
	if err != nil {
		return nil, PairAux{}, err
	}
	p := newGraphPass(m.ps)
	s := m.logits(p, len(b.IDs[0]), p.input("pair_ids", vals[0]), p.input("pair_types", vals[1]), p.input("pair_mask", vals[2]))
	if p.err != nil {
		return nil, PairAux{}, fmt.Errorf("student: crossencoder: %w", p.err)
	}
	inputs := p.inputs
	feed := func(nb *PairBatch) error {
		vals, err := m.preparePairs(nb)
		if err != nil {
			return err
		}
		return feedInputs(inputs, vals)
	}
	return s.n, PairAux{Inputs: inputs, feed: feed}, nil
}

// preparePairs checks a batch and packs ids, types and mask.
func (m *CrossEncoder) preparePairs(b *PairBatch) ([]*tensor.Dense, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if w := len(b.IDs[0]); w > m.cfg.Encoder.MaxPosition {
		return nil, &BatchError{Field: "IDs", Reason: fmt.Sprintf("%d tokens exceed %d positions", w, m.cfg.Encoder.MaxPosition)}
	}
	return []*tensor.Dense{intMatrix(b.IDs), intMatrix(b.types()), floatMatrix(b.Mask)}, nil
}

// Logits returns the score of each pair of b without building a graph.
func (m *CrossEncoder) Logits(b *PairBatch) ([]float32, error) {
	vals, err := m.preparePairs(b)
	if err != nil {
		return nil, fmt.Errorf("student: crossencoder: %w", err)
	}
	p := newEagerPass(m.ps)
	s := m.logits(p, len(b.IDs[0]), p.input("ids", vals[0]), p.input("types", vals[1]), p.input("mask", vals[2]))
	if p.err != nil {
		return nil, fmt.Errorf("student: crossencoder: %w", p.err)
	}
	return append([]float32(nil), s.t.Data().([]float32)...), nil
}

// ScoreTriples adds the scores of the pairs (query, positive) and (query,
// negative) to the graph, encoded as one batch of 2B pairs (JoinPair, cut
// to MaxPosition tokens). Aux carries the inputs only.
func (m *CrossEncoder) ScoreTriples(b *TripleBatch) (sPos, sNeg *gorgonia.Node, aux Aux, err error) {
	pb, err := m.triplePairs(b)
	if err != nil {
		return nil, nil, Aux{}, err
	}
	s, pa, err := m.ScorePairs(pb)
	if err != nil {
		return nil, nil, Aux{}, err
	}
	B := len(b.QueryIDs)
	sPos, err = gorgonia.Slice(s, gorgonia.S(0, B))
	if err == nil {
		sNeg, err = gorgonia.Slice(s, gorgonia.S(B, 2*B))
	}
	if err != nil {
		return nil, nil, Aux{}, fmt.Errorf("student: crossencoder: %w", err)
	}
	feed := func(nb *TripleBatch) error {
		pb, err := m.triplePairs(nb)
		if err != nil {
			return err
		}
		return pa.Feed(pb)
	}
	return sPos, sNeg, Aux{Inputs: pa.Inputs, feed: feed}, nil
}

// triplePairs turns a triple batch into 2B pairs, the positives first,
// padded to the widest pair the batch's shapes allow so that every batch of
// the same shapes gives pairs of the same width.
func (m *CrossEncoder) triplePairs(b *TripleBatch) (*PairBatch, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	B := len(b.QueryIDs)
	limit := m.cfg.Encoder.MaxPosition
	width := min(len(b.QueryIDs[0])+len(b.PosIDs[0])-1, limit)
	qs, ds := make([][]int32, 0, 2*B), make([][]int32, 0, 2*B)
	qLens, dLens := lengths(b.QueryIDs, b.QueryMask), lengths(b.PosIDs, b.PosMask)
	nLens := lengths(b.NegIDs, b.NegMask)
	for i := range B {
		qs = append(qs, b.QueryIDs[i][:qLens[i]])
		ds = append(ds, b.PosIDs[i][:dLens[i]])
	}
	for i := range B {
		qs = append(qs, b.QueryIDs[i][:qLens[i]])
		ds = append(ds, b.NegIDs[i][:nLens[i]])
	}
	for i := range qs {
		if len(qs[i]) < 2 || len(ds[i]) < 2 {
			return nil, &BatchError{Field: "QueryIDs", Row: i % B, Reason: "a query or document without [CLS] and [SEP]"}
		}
	}
	return joinPairs(qs, ds, limit, width, m.cfg.PadID), nil
}

// Score returns the score of each (query, document) pair, the query and
// documents being token ids with [CLS] and [SEP], unpadded. Pairs are cut
// to MaxPosition tokens (JoinPair).
func (m *CrossEncoder) Score(query []int32, docs ...[]int32) ([]float32, error) {
	scores := make([]float32, 0, len(docs))
	for lo := 0; lo < len(docs); lo += inferenceBatch {
		chunk := docs[lo:min(lo+inferenceBatch, len(docs))]
		qs := make([][]int32, len(chunk))
		for i := range qs {
			qs[i] = query
		}
		b, err := NewPairBatch(qs, chunk, m.cfg.Encoder.MaxPosition, m.cfg.PadID)
		if err != nil {
			return nil, fmt.Errorf("student: crossencoder score: %w", err)
		}
		s, err := m.Logits(b)
		if err != nil {
			return nil, err
		}
		scores = append(scores, s...)
	}
	return scores, nil
}
