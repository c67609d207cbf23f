package student

import (
	"fmt"
	"slices"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student/nn"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SPLADE is the sparse student: BERT, the MLM head (transform dense + GELU +
// LayerNorm, decoder tied to the word embeddings plus a bias) and SPLADE's
// max pooling, fused in nn.SpladeMax:
//
//	w_j = max_t log(1 + ReLU(MLM(h_t)_j)),   score(q, d) = w_q·w_d
//
// Head parameters: cls.predictions.transform.dense.{weight [H,H], bias [H]},
// cls.predictions.transform.LayerNorm.{weight,bias} [H],
// cls.predictions.bias [V].
//
// A SPLADE is not safe for concurrent use.
type SPLADE struct {
	cfg SPLADEConfig
	ps  *paramSet
}

var _ Model = (*SPLADE)(nil)

// NewSPLADE creates the parameters of a SPLADE student in g, drawn from
// BERT's initializer with the given seed.
func NewSPLADE(g *gorgonia.ExprGraph, cfg SPLADEConfig, seed uint64) (*SPLADE, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ps := newParamSet(g, seed)
	addEncoder(ps, cfg.Encoder)
	addMLMHead(ps, cfg.Encoder)
	return &SPLADE{cfg: cfg, ps: ps}, nil
}

// Config returns the model's settings.
func (s *SPLADE) Config() Config {
	cfg := s.cfg
	return Config{Kind: KindSPLADE, SPLADE: &cfg}
}

// Params returns the encoder's parameters followed by the MLM head's.
func (s *SPLADE) Params() []Param { return s.ps.params() }

// LoadWeights copies tensors into the parameters of the same name. The MLM
// decoder weight is the word embedding matrix, so a checkpoint's
// cls.predictions.decoder.weight is reported unused.
func (s *SPLADE) LoadWeights(src map[string]checkpoints.Tensor, strict bool) (LoadReport, error) {
	return s.ps.load(src, strict)
}

// weights maps ids and mask [B, L] to the sparse representation w [B, V].
func (s *SPLADE) weights(p *pass, ids, mask ref) ref {
	c := s.cfg.Encoder
	h := mlmTransform(p, c, encode(p, c, ids, mask)) // [B·L, H]
	return p.apply(nn.NewSpladeMax(s.cfg.Tile), h, p.param(wordEmbeddings), p.param("cls.predictions.bias"), mask)
}

// ScoreTriples adds w_q·w_pos and w_q·w_neg to the graph; Aux carries w_q
// [B, V] and w_d [2B, V] for the FLOPS regulariser.
func (s *SPLADE) ScoreTriples(b *TripleBatch) (sPos, sNeg *gorgonia.Node, aux Aux, err error) {
	vals, err := s.prepareTriples(b)
	if err != nil {
		return nil, nil, Aux{}, err
	}
	B := len(b.QueryIDs)
	p := newGraphPass(s.ps)
	wq := s.weights(p, p.input("query_ids", vals[0]), p.input("query_mask", vals[1]))
	wd := s.weights(p, p.input("doc_ids", vals[2]), p.input("doc_mask", vals[3]))
	pos := p.apply(nn.NewPairDot(0), wq, wd)
	neg := p.apply(nn.NewPairDot(B), wq, wd)
	if p.err != nil {
		return nil, nil, Aux{}, fmt.Errorf("student: splade: %w", p.err)
	}
	inputs := p.inputs
	feed := func(nb *TripleBatch) error {
		vals, err := s.prepareTriples(nb)
		if err != nil {
			return err
		}
		return feedInputs(inputs, vals)
	}
	return pos.n, neg.n, Aux{QueryWeights: wq.n, DocWeights: wd.n, Inputs: inputs, feed: feed}, nil
}

// prepareTriples returns query ids, query mask, doc ids and doc mask, the
// documents being the positives followed by the negatives.
func (s *SPLADE) prepareTriples(b *TripleBatch) ([]*tensor.Dense, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if w := len(b.QueryIDs[0]); w > s.cfg.Encoder.MaxPosition {
		return nil, &BatchError{Field: "QueryIDs", Reason: fmt.Sprintf("%d tokens exceed %d positions", w, s.cfg.Encoder.MaxPosition)}
	}
	if w := len(b.PosIDs[0]); w > s.cfg.Encoder.MaxPosition {
		return nil, &BatchError{Field: "PosIDs", Reason: fmt.Sprintf("%d tokens exceed %d positions", w, s.cfg.Encoder.MaxPosition)}
	}
	docs := append(slices.Clone(b.PosIDs), b.NegIDs...)
	masks := append(slices.Clone(b.PosMask), b.NegMask...)
	return []*tensor.Dense{intMatrix(b.QueryIDs), floatMatrix(b.QueryMask), intMatrix(docs), floatMatrix(masks)}, nil
}
