package training

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
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
	case "splade":
		arch = []string{"BertForMaskedLM"}
	case "crossencoder":
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

// Student is a checkpoint loaded for scoring.
type Student struct {
	Model      student.Model
	Tokenizer  *tokenizer.Tokenizer
	Encoder    *Encoder
	Config     Config // the training configuration recorded in the checkpoint
	Checkpoint *checkpoints.Checkpoint
}

// ErrNoCheckpoint is returned by LoadStudent for a run folder without a
// complete checkpoint.
var ErrNoCheckpoint = errors.New("training: no checkpoint")

// CheckpointDir resolves dir to a checkpoint folder: dir itself when it
// holds a manifest, else the latest checkpoint of the run folder dir.
func CheckpointDir(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, checkpoints.ManifestFile)); err == nil {
		return dir, nil
	}
	latest, ok, err := checkpoints.Latest(dir)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("%w in %s", ErrNoCheckpoint, dir)
	}
	return latest, nil
}

// LoadStudent loads a checkpoint folder (or the latest checkpoint of a run
// folder) as a ready-to-score model, with the tokenizer saved in it and the
// Encoder that makes the model's inputs from text.
func LoadStudent(dir string) (*Student, error) {
	dir, err := CheckpointDir(dir)
	if err != nil {
		return nil, err
	}
	ck, err := checkpoints.Load(dir)
	if err != nil {
		return nil, err
	}
	var mc modelConfig
	if err := json.Unmarshal(ck.Config.Model, &mc); err != nil {
		return nil, fmt.Errorf("training: %s: model config: %w", dir, err)
	}
	if ck.Tokenizer == nil {
		return nil, fmt.Errorf("training: %s has no %s", dir, checkpoints.TokenizerFile)
	}
	tok, err := tokenizer.Parse(ck.Tokenizer)
	if err != nil {
		return nil, fmt.Errorf("training: %s: %w", dir, err)
	}
	m, err := student.New(G.NewGraph(), mc.Student, ck.Config.Seed)
	if err != nil {
		return nil, fmt.Errorf("training: %s: %w", dir, err)
	}
	if _, err := m.LoadWeights(studentTensors(ck.Weights), true); err != nil {
		return nil, fmt.Errorf("training: %s: %w", dir, err)
	}
	enc, err := NewEncoder(tok, mc.Student.Kind, mc.Training.MaxQueryLength, mc.Training.MaxDocLength)
	if err != nil {
		return nil, err
	}
	return &Student{Model: m, Tokenizer: tok, Encoder: enc, Config: mc.Training, Checkpoint: ck}, nil
}

// Score scores documents against a query, from text.
func (s *Student) Score(query string, docs ...string) ([]float32, error) {
	seqs := make([][]int, len(docs))
	for i, d := range docs {
		seqs[i] = s.Encoder.Doc(d)
	}
	return s.Model.Score(s.Encoder.Query(query), seqs...)
}
