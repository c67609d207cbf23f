package bertonnx

import (
	"errors"
	"testing"

	"github.com/distill-ml/distill/checkpoints"
)

// TestStudentBuildersCheckWeights checks that the student builders name a
// missing or misshaped head tensor, and record their kind.
func TestStudentBuildersCheckWeights(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 1) // a cross-encoder: no student head
	if _, err := BuildColBERT(cfg, w, WriteOptions{}); !errors.Is(err, ErrMissingTensor) {
		t.Errorf("ColBERT without linear.weight: %v, want ErrMissingTensor", err)
	}
	if _, err := BuildSPLADE(cfg, w, WriteOptions{}); !errors.Is(err, ErrMissingTensor) {
		t.Errorf("SPLADE without the MLM head: %v, want ErrMissingTensor", err)
	}
	w[NameColBERTLinear] = checkpoints.Tensor{Shape: []int{8, cfg.Hidden + 1}, Data: make([]float32, 8*(cfg.Hidden+1))}
	if _, err := BuildColBERT(cfg, w, WriteOptions{}); !errors.Is(err, ErrTensorShape) {
		t.Errorf("linear.weight [8, H+1]: %v, want ErrTensorShape", err)
	}
	w[NameColBERTLinear] = checkpoints.Tensor{Shape: []int{8, cfg.Hidden}, Data: make([]float32, 8*cfg.Hidden)}
	m, err := BuildColBERT(cfg, w, WriteOptions{Metadata: map[string]string{"x": "y"}})
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string]string{}
	for _, p := range m.MetadataProps {
		meta[p.Key] = p.Value
	}
	if meta[MetadataKindKey] != "colbert" || meta["x"] != "y" || meta[MetadataConfigKey] == "" {
		t.Errorf("metadata %v", meta)
	}
	if out := m.Graph.Output[0].Name; out != OutputTokenEmbeddings {
		t.Errorf("output %q, want %q", out, OutputTokenEmbeddings)
	}
}
