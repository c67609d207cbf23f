package training

import (
	"encoding/json"

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
	// QrelsSHA256 is the sha256 of the judgements' file (Training.Qrels):
	// resuming compares it rather than the file's path.
	QrelsSHA256 string `json:"qrels_sha256,omitempty"`
}

func marshalModelConfig(sc student.Config, c Config, qrelsSHA256 string) (json.RawMessage, error) {
	arch := []string{"BertModel"} // ColBERT: BERT plus linear.weight
	switch sc.Kind {
	case student.KindSPLADE:
		arch = []string{"BertForMaskedLM"}
	case student.KindCrossEncoder:
		arch = []string{"BertForSequenceClassification"}
	}
	enc, _ := sc.Encoder()
	return json.Marshal(modelConfig{ModelType: "bert", Architectures: arch, EncoderConfig: enc, Student: sc, Training: c, QrelsSHA256: qrelsSHA256})
}

func provenanceJSON(p labels.Provenance) json.RawMessage {
	if len(p) == 0 {
		return nil
	}
	b, _ := json.Marshal(p)
	return b
}
