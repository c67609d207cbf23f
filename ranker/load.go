package ranker

import (
	"encoding/json"
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student"
)

// LoadModel loads the checkpoint in dir (a checkpoint folder, or a run
// folder whose latest checkpoint is taken: checkpoints.Resolve, whose
// ErrNoCheckpoint it returns for neither) as a model with all its weights,
// its configuration read by ModelConfig. The checkpoint need not
// hold a tokenizer.
func LoadModel(dir string) (student.Model, *checkpoints.Checkpoint, error) {
	dir, err := checkpoints.Resolve(dir)
	if err != nil {
		return nil, nil, err
	}
	ck, err := checkpoints.Load(dir)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := ModelConfig(ck)
	if err != nil {
		return nil, nil, err
	}
	m, err := student.New(G.NewGraph(), cfg, ck.Config.Seed)
	if err != nil {
		return nil, nil, fmt.Errorf("ranker: %s: %w", dir, err)
	}
	if _, err := m.LoadWeights(ck.Weights, true); err != nil {
		return nil, nil, fmt.Errorf("ranker: %s: %w", dir, err)
	}
	return m, ck, nil
}

// ModelConfig returns the model configuration a checkpoint records in its
// config.json, found, in order, as
//
//   - a "student" object holding a student.Config (what `distill student
//     train` and `distill teacher finetune` write),
//   - the top level itself, when it has a "kind" key (a bare student.Config),
//   - for the architecture "crossencoder" (or Hugging Face's
//     "BertForSequenceClassification"), the top-level Hugging Face BERT keys
//     (hidden_size, num_hidden_layers, …), with pad_token_id when present.
func ModelConfig(ck *checkpoints.Checkpoint) (student.Config, error) {
	var top map[string]json.RawMessage
	if len(ck.Config.Model) > 0 {
		if err := json.Unmarshal(ck.Config.Model, &top); err != nil {
			return student.Config{}, fmt.Errorf("ranker: %s: config.json: %w", ck.Dir, err)
		}
	}
	var cfg student.Config
	var err error
	switch {
	case top["student"] != nil:
		err = json.Unmarshal(top["student"], &cfg)
	case top["kind"] != nil:
		err = json.Unmarshal(ck.Config.Model, &cfg)
	case ck.Config.Architecture == string(student.KindCrossEncoder) || hasArchitecture(top, "BertForSequenceClassification"):
		var ce student.CrossEncoderConfig
		if err = json.Unmarshal(ck.Config.Model, &ce.Encoder); err == nil && top["pad_token_id"] != nil {
			err = json.Unmarshal(top["pad_token_id"], &ce.PadID)
		}
		cfg = student.Config{Kind: student.KindCrossEncoder, CrossEncoder: &ce}
	default:
		return student.Config{}, fmt.Errorf("%w: %s: config.json has no student configuration (architecture %q)", ErrKind, ck.Dir, ck.Config.Architecture)
	}
	if err != nil {
		return student.Config{}, fmt.Errorf("ranker: %s: config.json: %w", ck.Dir, err)
	}
	if _, ok := cfg.Encoder(); !ok {
		return student.Config{}, fmt.Errorf("%w: %s: kind %q without its settings", ErrKind, ck.Dir, cfg.Kind)
	}
	return cfg, nil
}

// hasArchitecture reports whether a Hugging Face config's "architectures"
// list names name.
func hasArchitecture(top map[string]json.RawMessage, name string) bool {
	var archs []string
	if json.Unmarshal(top["architectures"], &archs) != nil {
		return false
	}
	return slices.Contains(archs, name)
}
