package training

import (
	"encoding/json"
	"slices"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/student"
)

// modelConfig is the model part of a checkpoint's config.json: the encoder
// in Hugging Face BertConfig keys at the top level (so transformers reads
// it), then the student's full configuration and the training Config.
type modelConfig struct {
	ModelType     string   `json:"model_type"`
	Architectures []string `json:"architectures"`
	student.EncoderConfig
	Student  student.Config `json:"student"`
	Training Config         `json:"training"`
}

func encoderOf(sc student.Config) student.EncoderConfig {
	if sc.ColBERT != nil {
		return sc.ColBERT.Encoder
	}
	if sc.SPLADE != nil {
		return sc.SPLADE.Encoder
	}
	if sc.CrossEncoder != nil {
		return sc.CrossEncoder.Encoder
	}
	return student.EncoderConfig{}
}

func marshalModelConfig(sc student.Config, c Config) (json.RawMessage, error) {
	arch := []string{"BertModel"} // ColBERT: BERT plus linear.weight
	switch sc.Kind {
	case student.KindSPLADE:
		arch = []string{"BertForMaskedLM"}
	case student.KindCrossEncoder:
		arch = []string{"BertForSequenceClassification"}
	}
	return json.Marshal(modelConfig{ModelType: "bert", Architectures: arch, EncoderConfig: encoderOf(sc), Student: sc, Training: c})
}

// weightsOf copies parameters into checkpoint tensors.
func weightsOf(params []student.Param) map[string]checkpoints.Tensor {
	w := map[string]checkpoints.Tensor{}
	for _, p := range params {
		w[p.Name] = checkpoints.Tensor{Shape: slices.Clone([]int(p.Node.Shape())), Data: slices.Clone(p.Node.Value().Data().([]float32))}
	}
	return w
}

func shapesOf(params []student.Param) map[string][]int {
	s := map[string][]int{}
	for _, p := range params {
		s[p.Name] = []int(p.Node.Shape())
	}
	return s
}

func studentTensors(w map[string]checkpoints.Tensor) map[string]student.Tensor {
	out := make(map[string]student.Tensor, len(w))
	for k, t := range w {
		out[k] = student.Tensor{Shape: t.Shape, Data: t.Data}
	}
	return out
}

func provenanceJSON(p labels.Provenance) json.RawMessage {
	if len(p) == 0 {
		return nil
	}
	b, _ := json.Marshal(p)
	return b
}
