package bertonnx

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/distill-ml/distill/checkpoints"
)

func TestRandomWeightsDeterministic(t *testing.T) {
	cfg := Tiny()
	a, b, c := RandomWeights(cfg, 1), RandomWeights(cfg, 1), RandomWeights(cfg, 2)
	if len(a) != len(Specs(cfg)) {
		t.Fatalf("%d tensors, want %d", len(a), len(Specs(cfg)))
	}
	for name, ta := range a {
		if !slices.Equal(ta.Data, b[name].Data) || !slices.Equal(ta.Shape, b[name].Shape) {
			t.Errorf("%s differs between two calls with seed 1", name)
		}
		if slices.Equal(ta.Data, c[name].Data) {
			t.Errorf("%s is the same for seeds 1 and 2", name)
		}
	}
	// A tensor's values do not depend on how many layers precede or follow it.
	deeper := cfg
	deeper.Layers = 3
	const name = "bert.encoder.layer.1.attention.self.key.weight"
	if !slices.Equal(RandomWeights(deeper, 1)[name].Data, a[name].Data) {
		t.Errorf("%s changed with the number of layers", name)
	}
}

// TestRandomWeightsSpread checks that random pairs get clearly different
// scores, so ranking tests are not decided by rounding.
func TestRandomWeightsSpread(t *testing.T) {
	b := randomBatch(99, 64, 40)
	for _, c := range []struct {
		labels int
		seed   int64
	}{{1, 1}, {1, 2}, {1, 3}, {2, 1}} {
		cfg := Tiny()
		cfg.NumLabels = c.labels
		labels := c.labels
		logits, err := Forward(cfg, RandomWeights(cfg, c.seed), b.ids, b.types, b.mask)
		if err != nil {
			t.Fatal(err)
		}
		for j := range labels {
			var x []float64
			for _, l := range logits {
				x = append(x, l[j])
			}
			m, s := meanStd(x)
			t.Logf("seed %d labels=%d logit %d over %d random pairs: mean %.3f std %.3f", c.seed, labels, j, len(x), m, s)
			if s < 0.25 {
				t.Errorf("seed %d labels=%d logit %d: std %.3g over random pairs, want ≥ 0.25", c.seed, labels, j, s)
			}
		}
	}
}

func meanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)))
}

func TestWeightsValidate(t *testing.T) {
	cfg := Tiny()
	const q = "bert.encoder.layer.1.attention.self.query.weight"
	cases := []struct {
		name   string
		mutate func(w Weights)
		want   error  // nil: valid
		naming string // the message must contain this
	}{
		{"valid", func(Weights) {}, nil, ""},
		{"extra tensor ignored", func(w Weights) {
			w["bert.embeddings.position_ids"] = checkpoints.Tensor{Shape: []int{1}, Data: []float32{0}}
		}, nil, ""},
		{"missing", func(w Weights) { delete(w, "classifier.bias") }, ErrMissingTensor, "classifier.bias"},
		{"missing layer", func(w Weights) { delete(w, "bert.encoder.layer.1.output.LayerNorm.weight") }, ErrMissingTensor, "layer.1.output.LayerNorm.weight"},
		{"transposed", func(w Weights) {
			w["bert.encoder.layer.0.intermediate.dense.weight"] = checkpoints.Tensor{Shape: []int{32, 64}, Data: make([]float32, 32*64)}
		}, ErrTensorShape, "got=[32 64], want=[64 32]"},
		{"short data", func(w Weights) { t := w[q]; w[q] = checkpoints.Tensor{Shape: t.Shape, Data: t.Data[:10]} }, ErrTensorShape, "has 10 values"},
		{"nan", func(w Weights) { w[q].Data[3] = float32(math.NaN()) }, ErrNonFinite, q},
		{"inf", func(w Weights) { w["classifier.weight"].Data[0] = float32(math.Inf(-1)) }, ErrNonFinite, "classifier.weight"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := RandomWeights(cfg, 1)
			c.mutate(w)
			err := w.Validate(cfg)
			if c.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var te *TensorError
			if !errors.Is(err, c.want) || !errors.As(err, &te) || !strings.Contains(err.Error(), c.naming) {
				t.Fatalf("error %v, want %v naming %q", err, c.want, c.naming)
			}
		})
	}
	// All problems are reported at once.
	w := RandomWeights(cfg, 1)
	delete(w, "classifier.bias")
	delete(w, "bert.pooler.dense.weight")
	err := w.Validate(cfg)
	if err == nil || !strings.Contains(err.Error(), "classifier.bias") || !strings.Contains(err.Error(), "bert.pooler.dense.weight") {
		t.Errorf("error %v, want both missing tensors named", err)
	}
}

func TestSpecsMiniLML6Size(t *testing.T) {
	n := 0
	for _, sp := range Specs(MiniLML6()) {
		n += numel(sp.Shape)
	}
	// cross-encoder/ms-marco-MiniLM-L-6-v2 has 22,713,601 parameters.
	if n != 22713601 {
		t.Errorf("MiniLML6 has %d parameters, want 22713601", n)
	}
}
