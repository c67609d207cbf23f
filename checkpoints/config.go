package checkpoints

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// ConfigFile is the name of a checkpoint's configuration.
const ConfigFile = "config.json"

// configFormat identifies the "distill" block's schema.
const configFormat = "distill-config/v1"

// distillKey is the top-level key of config.json holding distill's block.
const distillKey = "distill"

// Config is the content of config.json: the student's model config and what
// is needed to trace the checkpoint to its inputs.
//
// On disk the fields of Model (a JSON object, e.g. Hugging Face BertConfig
// fields such as "hidden_size" or "model_type") are the top-level keys, as
// transformers' AutoConfig expects, and the other fields form the "distill"
// object:
//
//	{"hidden_size": 384, ..., "distill": {"format": "distill-config/v1",
//	  "architecture": "colbert", "tokenizer_sha256": "…", "labels": {…},
//	  "version": "v0.3.0", "created": "2025-01-02T03:04:05Z", "seed": 42}}
type Config struct {
	Architecture    string          // the student kind, e.g. "colbert" or "splade"; required
	Model           json.RawMessage // the student's model config: a JSON object without a "distill" key, or empty
	TokenizerSHA256 string          // sha256 of tokenizer.json; Save fills it when empty
	Labels          json.RawMessage // provenance of the teacher labels (opaque JSON), or empty
	DistillVersion  string          // Save fills it from the build info when empty
	Created         time.Time       // Save fills it with the current UTC time when zero
	Seed            uint64          // the run's seed
}

type distillBlock struct {
	Format          string          `json:"format"`
	Architecture    string          `json:"architecture"`
	TokenizerSHA256 string          `json:"tokenizer_sha256,omitempty"`
	Labels          json.RawMessage `json:"labels,omitempty"`
	Version         string          `json:"version"`
	Created         time.Time       `json:"created"`
	Seed            uint64          `json:"seed"`
}

// MarshalJSON writes the model config's keys and the "distill" block,
// keys sorted.
func (c Config) MarshalJSON() ([]byte, error) {
	top := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(c.Model)) > 0 {
		if err := json.Unmarshal(c.Model, &top); err != nil || top == nil {
			return nil, fmt.Errorf("checkpoints: config: model config must be a JSON object: %v", err)
		}
		if _, ok := top[distillKey]; ok {
			return nil, fmt.Errorf("checkpoints: config: model config uses the reserved key %q", distillKey)
		}
	}
	if c.Architecture == "" {
		return nil, fmt.Errorf("checkpoints: config: Architecture is empty")
	}
	block, err := json.Marshal(distillBlock{
		Format: configFormat, Architecture: c.Architecture, TokenizerSHA256: c.TokenizerSHA256,
		Labels: compactOrNil(c.Labels), Version: c.DistillVersion, Created: c.Created, Seed: c.Seed,
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoints: config: %w", err)
	}
	top[distillKey] = block
	return json.Marshal(top)
}

// UnmarshalJSON reads config.json written by MarshalJSON; Model receives
// every top-level key but "distill", compacted with keys sorted.
func (c *Config) UnmarshalJSON(data []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("checkpoints: config: %w", err)
	}
	raw, ok := top[distillKey]
	if !ok {
		return fmt.Errorf("checkpoints: config: no %q block", distillKey)
	}
	var b distillBlock
	if err := json.Unmarshal(raw, &b); err != nil {
		return fmt.Errorf("checkpoints: config: %q block: %w", distillKey, err)
	}
	if b.Format != configFormat {
		return fmt.Errorf("checkpoints: config: format %q, want %q", b.Format, configFormat)
	}
	delete(top, distillKey)
	*c = Config{Architecture: b.Architecture, TokenizerSHA256: b.TokenizerSHA256, Labels: compactJSON(b.Labels),
		DistillVersion: b.Version, Created: b.Created, Seed: b.Seed}
	if len(top) > 0 {
		model, err := json.Marshal(top)
		if err != nil {
			return fmt.Errorf("checkpoints: config: %w", err)
		}
		c.Model = model
	}
	return nil
}

// compactJSON removes the indentation that writing the file added to an
// opaque JSON value, so it reads back as it was given (modulo whitespace).
func compactJSON(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, m); err != nil {
		return m
	}
	return b.Bytes()
}

func compactOrNil(m json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(m)) == 0 {
		return nil
	}
	return m
}
