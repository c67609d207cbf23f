package bertonnx

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(c *Config)
		naming string // "" means valid
	}{
		{"tiny", func(*Config) {}, ""},
		{"two labels", func(c *Config) { c.NumLabels = 2 }, ""},
		{"no type embeddings", func(c *Config) { c.TypeVocabSize, c.WithTokenTypes = 0, false }, ""},
		{"heads do not divide hidden", func(c *Config) { c.Heads = 3 }, "not a multiple of Heads"},
		{"zero heads", func(c *Config) { c.Heads = 0 }, "Heads must be at least 1"},
		{"zero layers", func(c *Config) { c.Layers = 0 }, "Layers must be at least 1"},
		{"zero vocab", func(c *Config) { c.VocabSize = 0 }, "VocabSize"},
		{"zero ffn", func(c *Config) { c.FFN = 0 }, "FFN"},
		{"zero positions", func(c *Config) { c.MaxPosition = 0 }, "MaxPosition"},
		{"token types without table", func(c *Config) { c.TypeVocabSize = 0 }, "WithTokenTypes needs TypeVocabSize"},
		{"negative type vocab", func(c *Config) { c.TypeVocabSize, c.WithTokenTypes = -1, false }, "TypeVocabSize must not be negative"},
		{"zero eps", func(c *Config) { c.LayerNormEps = 0 }, "LayerNormEps"},
		{"three labels", func(c *Config) { c.NumLabels = 3 }, "NumLabels must be 1 or 2 (got 3)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := Tiny()
			c.mutate(&cfg)
			err := cfg.Validate()
			if c.naming == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), c.naming) {
				t.Fatalf("error %v, want ErrInvalidConfig naming %q", err, c.naming)
			}
		})
	}
}

func TestPresets(t *testing.T) {
	for _, name := range []string{"tiny", "minilm-l6", "MiniLM-L6"} {
		cfg, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if m := MiniLML6(); m.Hidden != 384 || m.Layers != 6 || m.Heads != 12 || m.FFN != 1536 || m.HeadDim() != 32 {
		t.Errorf("MiniLML6 = %+v", m)
	}
	if _, err := Preset("bert-large"); err == nil {
		t.Error("unknown preset accepted")
	}
}
