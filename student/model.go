package student

import (
	"fmt"

	"gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student/nn"
)

// Model is a student as training and evaluation use it.
type Model interface {
	// Config returns the settings the model was built with.
	Config() Config
	// Params returns the trainable parameters in a fixed order, with
	// Hugging Face names.
	Params() []Param
	// LoadWeights copies tensors into the parameters of the same name (see
	// LoadReport); strict makes a parameter missing from src an error.
	LoadWeights(src map[string]checkpoints.Tensor, strict bool) (LoadReport, error)
	// ScoreTriples adds the scoring of a batch of (query, positive,
	// negative) triples to the model's graph and returns the positive and
	// negative scores, both [B]. Aux rebinds later batches of the same shape.
	ScoreTriples(b *TripleBatch) (sPos, sNeg *gorgonia.Node, aux Aux, err error)
	// Score scores documents against a query without building gradients.
	// Sequences are token ids with [CLS] and [SEP], unpadded.
	Score(query []int32, docs ...[]int32) ([]float32, error)
}

// New builds the student that cfg names, with parameters initialised from
// seed.
func New(g *gorgonia.ExprGraph, cfg Config, seed uint64) (Model, error) {
	switch {
	case cfg.Kind == KindColBERT && cfg.ColBERT != nil:
		return NewColBERT(g, *cfg.ColBERT, seed)
	case cfg.Kind == KindSPLADE && cfg.SPLADE != nil:
		return NewSPLADE(g, *cfg.SPLADE, seed)
	case cfg.Kind == KindCrossEncoder && cfg.CrossEncoder != nil:
		return NewCrossEncoder(g, *cfg.CrossEncoder, seed)
	}
	return nil, fmt.Errorf("%w: kind %q with settings for it, want %q, %q or %q", ErrConfig, cfg.Kind, KindColBERT, KindSPLADE, KindCrossEncoder)
}

// Aux is what ScoreTriples returns besides the scores.
type Aux struct {
	// QueryWeights [B, V] and DocWeights [2B, V] are SPLADE's sparse
	// representations, for the FLOPS regulariser; DocWeights holds the
	// positives in rows 0…B−1 and the negatives in rows B…2B−1. Nil for
	// ColBERT.
	QueryWeights, DocWeights *gorgonia.Node
	// Inputs are the graph's batch input nodes (token ids and masks).
	Inputs []*gorgonia.Node

	feed func(*TripleBatch) error
}

// Feed binds a new batch of the same shape to the graph's inputs, ready for
// the next run of the machine.
func (a Aux) Feed(b *TripleBatch) error {
	if a.feed == nil {
		return fmt.Errorf("student: Aux.Feed on an Aux not returned by ScoreTriples")
	}
	return a.feed(b)
}

// SetTrainingStep tells the dropout layers of m's training graph which
// step's masks to draw (see nn.DropoutClock). Call it before each step's
// forward pass; without dropout it changes nothing.
func SetTrainingStep(m Model, step int) {
	if c, ok := m.(interface{ dropoutClock() *nn.DropoutClock }); ok {
		c.dropoutClock().SetStep(step)
	}
}

func (c *ColBERT) dropoutClock() *nn.DropoutClock      { return c.ps.clock }
func (s *SPLADE) dropoutClock() *nn.DropoutClock       { return s.ps.clock }
func (m *CrossEncoder) dropoutClock() *nn.DropoutClock { return m.ps.clock }
