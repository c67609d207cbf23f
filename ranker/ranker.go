package ranker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// Ranker is a checkpoint loaded for scoring: the model with its weights,
// the tokenizer saved in the checkpoint and the Encoder that makes the
// model's inputs from text.
//
// Scoring runs the model's gorgonia graph: a Ranker is not safe for
// concurrent use.
type Ranker struct {
	Model      student.Model
	Tokenizer  *tokenizer.Tokenizer
	Encoder    *Encoder
	Checkpoint *checkpoints.Checkpoint
	// Labels is the teacher labels folder the model was trained on, as
	// recorded in the checkpoint's config.json ("" when none).
	Labels string
}

// ErrNoCheckpoint is returned (wrapped) by CheckpointDir and Load for a
// folder that is neither a checkpoint nor a run folder with a complete
// checkpoint.
var ErrNoCheckpoint = errors.New("ranker: no checkpoint")

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

// trainingConfig is the part of the "training" object of a checkpoint's
// config.json (training.Config, written by `distill student train`) that
// scoring needs: the input lengths the model was trained with.
type trainingConfig struct {
	Labels         string `json:"labels"`
	MaxQueryLength int    `json:"max_query_length"`
	MaxDocLength   int    `json:"max_doc_length"`
}

// modelConfig is the part of a checkpoint's config.json that Load reads.
type modelConfig struct {
	Student  student.Config `json:"student"`
	Training trainingConfig `json:"training"`
}

// Load loads a checkpoint folder (or the latest checkpoint of a run folder)
// as a ready-to-score model, with the tokenizer saved in it and the Encoder
// that makes the model's inputs from text.
func Load(dir string) (*Ranker, error) {
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
		return nil, fmt.Errorf("ranker: %s: model config: %w", dir, err)
	}
	if ck.Tokenizer == nil {
		return nil, fmt.Errorf("ranker: %s has no %s", dir, checkpoints.TokenizerFile)
	}
	tok, err := tokenizer.Parse(ck.Tokenizer)
	if err != nil {
		return nil, fmt.Errorf("ranker: %s: %w", dir, err)
	}
	m, err := student.New(G.NewGraph(), mc.Student, ck.Config.Seed)
	if err != nil {
		return nil, fmt.Errorf("ranker: %s: %w", dir, err)
	}
	w := make(map[string]student.Tensor, len(ck.Weights))
	for k, t := range ck.Weights {
		w[k] = student.Tensor{Shape: t.Shape, Data: t.Data}
	}
	if _, err := m.LoadWeights(w, true); err != nil {
		return nil, fmt.Errorf("ranker: %s: %w", dir, err)
	}
	enc, err := NewEncoder(tok, mc.Student.Kind, mc.Training.MaxQueryLength, mc.Training.MaxDocLength)
	if err != nil {
		return nil, err
	}
	return &Ranker{Model: m, Tokenizer: tok, Encoder: enc, Checkpoint: ck, Labels: mc.Training.Labels}, nil
}

// Kind returns the model's student kind.
func (r *Ranker) Kind() student.Kind { return r.Model.Config().Kind }

// Score scores documents against a query, from text.
func (r *Ranker) Score(query string, docs ...string) ([]float32, error) {
	seqs := make([][]int, len(docs))
	for i, d := range docs {
		seqs[i] = r.Encoder.Doc(d)
	}
	return r.Model.Score(r.Encoder.Query(query), seqs...)
}
