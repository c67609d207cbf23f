package bertonnx

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/internal/fsutil"
)

// File names WriteDir uses inside its folder.
const (
	ModelFile  = "model.onnx"
	ConfigFile = "config.json"
)

// WriteDir writes dir/model.onnx (see WriteCrossEncoder) and dir/config.json,
// the Config as JSON, creating dir if needed. The recorded Config is the
// written model's: WithTokenTypes is false when opts.OmitTokenTypeIDs.
func WriteDir(dir string, cfg Config, w Weights, opts WriteOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bertonnx: %w", err)
	}
	if err := WriteCrossEncoder(filepath.Join(dir, ModelFile), cfg, w, opts); err != nil {
		return err
	}
	if opts.OmitTokenTypeIDs {
		cfg.WithTokenTypes = false
	}
	path := filepath.Join(dir, ConfigFile)
	if err := fsutil.WriteJSON(path, cfg); err != nil {
		return fmt.Errorf("bertonnx: write %s: %w", path, err)
	}
	return nil
}

// ReadConfig reads and validates a config.json written by WriteDir.
func ReadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("bertonnx: %w", err)
	}
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return Config{}, fmt.Errorf("bertonnx: parse %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}
