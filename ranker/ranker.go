package ranker

import (
	"encoding/json"
	"fmt"

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

// trainingConfig is the part of the "training" object of a checkpoint's
// config.json (training.Config, written by `distill student train`) that
// scoring needs: the input lengths the model was trained with.
type trainingConfig struct {
	Labels         string `json:"labels"`
	MaxQueryLength int    `json:"max_query_length"`
	MaxDocLength   int    `json:"max_doc_length"`
}

// Load loads a checkpoint folder (or the latest checkpoint of a run folder)
// as a ready-to-score model (LoadModel), with the tokenizer saved in it and
// the Encoder that makes the model's inputs from text, sized by the input
// lengths recorded in its config.json (where none are recorded, as in a
// Hugging Face cross-encoder's, texts are cut only by the model's
// max_position_embeddings).
func Load(dir string) (*Ranker, error) {
	m, ck, err := LoadModel(dir)
	if err != nil {
		return nil, err
	}
	var mc struct {
		Training trainingConfig `json:"training"`
	}
	if len(ck.Config.Model) > 0 {
		if err := json.Unmarshal(ck.Config.Model, &mc); err != nil {
			return nil, fmt.Errorf("ranker: %s: model config: %w", ck.Dir, err)
		}
	}
	if ck.Tokenizer == nil {
		return nil, fmt.Errorf("ranker: %s has no %s", ck.Dir, checkpoints.TokenizerFile)
	}
	tok, err := tokenizer.Parse(ck.Tokenizer)
	if err != nil {
		return nil, fmt.Errorf("ranker: %s: %w", ck.Dir, err)
	}
	enc, err := NewEncoder(tok, m.Config().Kind, mc.Training.MaxQueryLength, mc.Training.MaxDocLength)
	if err != nil {
		return nil, err
	}
	return &Ranker{Model: m, Tokenizer: tok, Encoder: enc, Checkpoint: ck, Labels: mc.Training.Labels}, nil
}

// Kind returns the model's student kind.
func (r *Ranker) Kind() student.Kind { return r.Model.Config().Kind }

// Score scores documents against a query, from text.
func (r *Ranker) Score(query string, docs ...string) ([]float32, error) {
	seqs := make([][]int32, len(docs))
	for i, d := range docs {
		seqs[i] = r.Encoder.Doc(d)
	}
	return r.Model.Score(r.Encoder.Query(query), seqs...)
}
