package student

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student/nn"
)

// addMLMHead creates BERT's masked-language-model head, shared by SPLADE
// and MaskedLM: cls.predictions.transform.dense.{weight [H,H], bias [H]},
// cls.predictions.transform.LayerNorm.{weight,bias} [H] and the decoder
// bias cls.predictions.bias [V]; the decoder weight is the word embedding
// matrix (tied, as in Hugging Face BertForMaskedLM).
func addMLMHead(ps *paramSet, c EncoderConfig) {
	ps.linear("cls.predictions.transform.dense", c.Hidden, c.Hidden, true)
	ps.layerNorm("cls.predictions.transform.LayerNorm", c.Hidden)
	ps.add("cls.predictions.bias", initZeros, c.VocabSize)
}

// mlmTransform applies the head's transform to hidden states [N, H]:
// LayerNorm(GELU(h·Wᵀ + b)).
func mlmTransform(p *pass, c EncoderConfig, h ref) ref {
	h = p.apply(nn.NewLinear(false), h, p.param("cls.predictions.transform.dense.weight"))
	h = p.apply(nn.NewBiasGELU(), h, p.param("cls.predictions.transform.dense.bias"))
	return p.apply(nn.NewLayerNorm(c.LayerNormEps), h,
		p.param("cls.predictions.transform.LayerNorm.weight"), p.param("cls.predictions.transform.LayerNorm.bias"))
}

// MaskedLM is Hugging Face's BertForMaskedLM, for masked-language-model
// pretraining (distill pretrain): the encoder reads "[CLS] a [SEP] b [SEP]"
// with token types, the hidden states of the masked positions are gathered
// (nn.GatherRows), pass the MLM head's transform, and nn.MLMCrossEntropy
// scores them against the whole vocabulary through the tied decoder. Its
// parameters are exactly SPLADE's (encoder + MLM head), with the same
// names, so a pretrained checkpoint initialises SPLADE whole and ColBERT and
// cross-encoders in their encoder.
//
// A MaskedLM is not safe for concurrent use.
type MaskedLM struct {
	cfg EncoderConfig
	ps  *paramSet
}

// NewMaskedLM creates the parameters of a BertForMaskedLM in g, drawn from
// BERT's initializer with the given seed.
func NewMaskedLM(g *gorgonia.ExprGraph, cfg EncoderConfig, seed uint64) (*MaskedLM, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ps := newParamSet(g, seed)
	addEncoder(ps, cfg)
	addMLMHead(ps, cfg)
	return &MaskedLM{cfg: cfg, ps: ps}, nil
}

// Config returns the encoder's settings.
func (m *MaskedLM) Config() EncoderConfig { return m.cfg }

// Params returns the encoder's parameters followed by the MLM head's.
func (m *MaskedLM) Params() []Param { return m.ps.params() }

// LoadWeights copies tensors into the parameters of the same name.
func (m *MaskedLM) LoadWeights(src map[string]checkpoints.Tensor, strict bool) (LoadReport, error) {
	return m.ps.load(src, strict)
}

// SetTrainingStep sets the step whose dropout masks the training graph
// draws (see nn.DropoutClock).
func (m *MaskedLM) SetTrainingStep(step int) { m.ps.clock.SetStep(step) }

// MLMBatch is a batch of masked sequences of one width S.
type MLMBatch struct {
	IDs, TypeIDs, Mask [][]int32 // [B][S]: masked token ids, segment ids, attention mask (1 = token)
	// Positions [M] are the flat indices b·S + t of the prediction slots and
	// Targets [M] their original token ids; a slot with target −1 is unused
	// (its position is ignored). Put the used slots first: the head runs up
	// to the last one only.
	Positions []int
	Targets   []int32
}

// Validate checks the shapes and ranges of b.
func (b *MLMBatch) Validate(c EncoderConfig) error {
	if len(b.IDs) == 0 || len(b.IDs[0]) == 0 {
		return &BatchError{Field: "IDs", Reason: "empty batch"}
	}
	S := len(b.IDs[0])
	if S > c.MaxPosition {
		return &BatchError{Field: "IDs", Reason: fmt.Sprintf("%d tokens exceed %d positions", S, c.MaxPosition)}
	}
	for i := range b.IDs {
		if len(b.IDs[i]) != S || len(b.TypeIDs) <= i || len(b.TypeIDs[i]) != S || len(b.Mask) <= i || len(b.Mask[i]) != S {
			return &BatchError{Field: "IDs", Row: i, Reason: fmt.Sprintf("ids, types and mask must all be %d wide", S)}
		}
		for j, id := range b.IDs[i] {
			if id < 0 || int(id) >= c.VocabSize {
				return &BatchError{Field: "IDs", Row: i, Reason: fmt.Sprintf("token id %d at %d outside the vocabulary", id, j)}
			}
			if t := b.TypeIDs[i][j]; t < 0 || int(t) >= c.TypeVocabSize {
				return &BatchError{Field: "TypeIDs", Row: i, Reason: fmt.Sprintf("token type %d at %d", t, j)}
			}
		}
	}
	if len(b.Positions) == 0 || len(b.Positions) != len(b.Targets) {
		return &BatchError{Field: "Positions", Reason: fmt.Sprintf("%d positions for %d targets (want as many, at least one)", len(b.Positions), len(b.Targets))}
	}
	for i, p := range b.Positions {
		if p < 0 || p >= len(b.IDs)*S {
			return &BatchError{Field: "Positions", Row: i, Reason: fmt.Sprintf("position %d outside the %d×%d batch", p, len(b.IDs), S)}
		}
		if t := b.Targets[i]; t < -1 || int(t) >= c.VocabSize {
			return &BatchError{Field: "Targets", Row: i, Reason: fmt.Sprintf("target %d outside the vocabulary", t)}
		}
	}
	return nil
}

func (m *MaskedLM) prepare(b *MLMBatch) ([]*tensor.Dense, error) {
	if err := b.Validate(m.cfg); err != nil {
		return nil, err
	}
	vec := func(v []int) *tensor.Dense {
		return tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(append([]int(nil), v...)))
	}
	targets := make([]int, len(b.Targets))
	for i, t := range b.Targets {
		targets[i] = int(t)
	}
	return []*tensor.Dense{intMatrix(b.IDs), intMatrix(b.TypeIDs), floatMatrix(b.Mask), vec(b.Positions), tensor.New(tensor.WithShape(len(targets)), tensor.WithBacking(targets))}, nil
}

// slotLosses is the forward pass: the per-slot losses [M] (see
// nn.MLMCrossEntropy), whose sum is the mean cross-entropy.
func (m *MaskedLM) slotLosses(p *pass, S int, ids, types, mask, pos, targets ref) ref {
	c := m.cfg
	x := embedTyped(p, c, ids, types) // [B·S, H]
	for i := range c.Layers {
		x = encoderLayer(p, layerPrefix(i), c, x, mask)
	}
	h := mlmTransform(p, c, p.apply(nn.NewGatherRows(), x, pos)) // [M, H]
	return p.apply(nn.NewMLMCrossEntropy(), h, p.param(wordEmbeddings), p.param("cls.predictions.bias"), targets)
}

// MLMAux rebinds later batches of the same shapes to a Loss graph.
type MLMAux struct {
	Inputs []*gorgonia.Node
	feed   func(*MLMBatch) error
}

// Feed binds a new batch of the same shapes to the graph's inputs.
func (a MLMAux) Feed(b *MLMBatch) error {
	if a.feed == nil {
		return fmt.Errorf("student: MLMAux.Feed on an MLMAux not returned by Loss")
	}
	return a.feed(b)
}

// Loss adds the mean masked-language-model cross-entropy of b (a scalar)
// to the model's graph.
func (m *MaskedLM) Loss(b *MLMBatch) (*gorgonia.Node, MLMAux, error) {
	vals, err := m.prepare(b)
	if err != nil {
		return nil, MLMAux{}, err
	}
	p := newGraphPass(m.ps)
	in := make([]ref, len(vals))
	for i, name := range []string{"mlm_ids", "mlm_types", "mlm_mask", "mlm_positions", "mlm_targets"} {
		in[i] = p.input(name, vals[i])
	}
	l := m.slotLosses(p, len(b.IDs[0]), in[0], in[1], in[2], in[3], in[4])
	if p.err != nil {
		return nil, MLMAux{}, fmt.Errorf("student: masked lm: %w", p.err)
	}
	loss, err := gorgonia.Sum(l.n)
	if err != nil {
		return nil, MLMAux{}, fmt.Errorf("student: masked lm: %w", err)
	}
	inputs := p.inputs
	feed := func(nb *MLMBatch) error {
		vals, err := m.prepare(nb)
		if err != nil {
			return err
		}
		return feedInputs(inputs, vals)
	}
	return loss, MLMAux{Inputs: inputs, feed: feed}, nil
}

// EvalLoss returns the mean masked-language-model cross-entropy of b
// without building a graph (no dropout).
func (m *MaskedLM) EvalLoss(b *MLMBatch) (float64, error) {
	vals, err := m.prepare(b)
	if err != nil {
		return 0, fmt.Errorf("student: masked lm: %w", err)
	}
	p := newEagerPass(m.ps)
	in := make([]ref, len(vals))
	for i := range vals {
		in[i] = p.input("", vals[i])
	}
	l := m.slotLosses(p, len(b.IDs[0]), in[0], in[1], in[2], in[3], in[4])
	if p.err != nil {
		return 0, fmt.Errorf("student: masked lm: %w", p.err)
	}
	var s float64
	for _, v := range l.t.Data().([]float32) {
		s += float64(v)
	}
	return s, nil
}
