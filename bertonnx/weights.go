package bertonnx

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/distill-ml/distill/checkpoints"
)

// Sentinel errors of Weights.Validate, wrapped in a *TensorError.
var (
	// ErrMissingTensor: a tensor the Config needs is not in the Weights.
	ErrMissingTensor = errors.New("bertonnx: missing tensor")
	// ErrTensorShape: a tensor has the wrong shape, or its data does not
	// match its shape.
	ErrTensorShape = errors.New("bertonnx: tensor shape mismatch")
	// ErrNonFinite: a tensor holds NaN or ±Inf.
	ErrNonFinite = errors.New("bertonnx: non-finite value in tensor")
)

// Weights maps Hugging Face BertForSequenceClassification parameter names
// (see Specs) to tensors. Linear weights are [out, in], as torch.nn.Linear
// stores them; a layer computes y = x·Wᵀ + b.
type Weights map[string]checkpoints.Tensor

// TensorSpec names one tensor a Config needs, with its shape.
type TensorSpec struct {
	Name  string
	Shape []int
}

// TensorError says which tensor failed Validate and why.
type TensorError struct {
	Name string
	Want []int // expected shape
	Got  []int // shape found; nil when missing
	// DataLen is the number of values found when it does not match Got.
	DataLen int
	Err     error // ErrMissingTensor, ErrTensorShape or ErrNonFinite
}

func (e *TensorError) Error() string {
	switch {
	case errors.Is(e.Err, ErrMissingTensor):
		return fmt.Sprintf("%v %s (want shape %v)", e.Err, e.Name, e.Want)
	case errors.Is(e.Err, ErrNonFinite):
		return fmt.Sprintf("%v %s", e.Err, e.Name)
	case e.DataLen != numel(e.Got):
		return fmt.Sprintf("%v: %s has %d values for shape %v (want shape %v)", e.Err, e.Name, e.DataLen, e.Got, e.Want)
	}
	return fmt.Sprintf("%v: %s (got=%v, want=%v)", e.Err, e.Name, e.Got, e.Want)
}

func (e *TensorError) Unwrap() error { return e.Err }

// Layer weight names, relative to "bert.encoder.layer.{i}.".
const (
	nameQuery      = "attention.self.query"
	nameKey        = "attention.self.key"
	nameValue      = "attention.self.value"
	nameAttnOut    = "attention.output.dense"
	nameAttnLN     = "attention.output.LayerNorm"
	nameInterm     = "intermediate.dense"
	nameOutput     = "output.dense"
	nameOutputLN   = "output.LayerNorm"
	nameWordEmb    = "bert.embeddings.word_embeddings.weight"
	namePosEmb     = "bert.embeddings.position_embeddings.weight"
	nameTypeEmb    = "bert.embeddings.token_type_embeddings.weight"
	nameEmbLN      = "bert.embeddings.LayerNorm"
	namePooler     = "bert.pooler.dense"
	nameClassifier = "classifier"
)

// layerPrefix is the name prefix of block i's tensors.
func layerPrefix(i int) string { return fmt.Sprintf("bert.encoder.layer.%d.", i) }

// Specs lists, in a fixed order, every tensor cfg needs:
//
//	bert.embeddings.word_embeddings.weight         [VocabSize, Hidden]
//	bert.embeddings.position_embeddings.weight     [MaxPosition, Hidden]
//	bert.embeddings.token_type_embeddings.weight   [TypeVocabSize, Hidden] (when TypeVocabSize > 0)
//	bert.embeddings.LayerNorm.{weight,bias}        [Hidden]
//	bert.encoder.layer.{i}.attention.self.{query,key,value}.weight  [Hidden, Hidden], bias [Hidden]
//	bert.encoder.layer.{i}.attention.output.dense.weight            [Hidden, Hidden], bias [Hidden]
//	bert.encoder.layer.{i}.attention.output.LayerNorm.{weight,bias} [Hidden]
//	bert.encoder.layer.{i}.intermediate.dense.weight                [FFN, Hidden], bias [FFN]
//	bert.encoder.layer.{i}.output.dense.weight                      [Hidden, FFN], bias [Hidden]
//	bert.encoder.layer.{i}.output.LayerNorm.{weight,bias}           [Hidden]
//	bert.pooler.dense.weight [Hidden, Hidden], bias [Hidden]
//	classifier.weight [NumLabels, Hidden], bias [NumLabels]
func Specs(cfg Config) []TensorSpec {
	h, f := cfg.Hidden, cfg.FFN
	var s []TensorSpec
	add := func(name string, shape ...int) { s = append(s, TensorSpec{name, shape}) }
	linear := func(name string, out, in int) {
		add(name+".weight", out, in)
		add(name+".bias", out)
	}
	norm := func(name string) {
		add(name+".weight", h)
		add(name+".bias", h)
	}
	add(nameWordEmb, cfg.VocabSize, h)
	add(namePosEmb, cfg.MaxPosition, h)
	if cfg.TypeVocabSize > 0 {
		add(nameTypeEmb, cfg.TypeVocabSize, h)
	}
	norm(nameEmbLN)
	for i := range cfg.Layers {
		p := layerPrefix(i)
		linear(p+nameQuery, h, h)
		linear(p+nameKey, h, h)
		linear(p+nameValue, h, h)
		linear(p+nameAttnOut, h, h)
		norm(p + nameAttnLN)
		linear(p+nameInterm, f, h)
		linear(p+nameOutput, h, f)
		norm(p + nameOutputLN)
	}
	linear(namePooler, h, h)
	linear(nameClassifier, cfg.NumLabels, h)
	return s
}

// Validate checks that w holds every tensor of Specs(cfg) with the right
// shape, matching data length and finite values. It reports all problems at
// once, each as a *TensorError. Tensors not in Specs are ignored.
func (w Weights) Validate(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	var errs []error
	for _, sp := range Specs(cfg) {
		t, ok := w[sp.Name]
		switch {
		case !ok:
			errs = append(errs, &TensorError{Name: sp.Name, Want: sp.Shape, Err: ErrMissingTensor})
		case !slices.Equal(t.Shape, sp.Shape) || len(t.Data) != numel(sp.Shape):
			errs = append(errs, &TensorError{Name: sp.Name, Want: sp.Shape, Got: slices.Clone(t.Shape),
				DataLen: len(t.Data), Err: ErrTensorShape})
		case !allFinite(t.Data):
			errs = append(errs, &TensorError{Name: sp.Name, Want: sp.Shape, Got: t.Shape, Err: ErrNonFinite})
		}
	}
	return errors.Join(errs...)
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func allFinite(x []float32) bool {
	for _, v := range x {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}
