package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/distill-ml/distill/bertonnx"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(options{preset: "tiny", seed: 1, labels: 2, opset: 17, out: dir}, &out)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := bertonnx.ReadConfig(filepath.Join(dir, bertonnx.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NumLabels != 2 || cfg.Hidden != 32 || !cfg.WithTokenTypes {
		t.Errorf("config %+v", cfg)
	}
	if st, err := os.Stat(filepath.Join(dir, bertonnx.ModelFile)); err != nil || st.Size() < 1<<20 {
		t.Errorf("model.onnx: %v %v", st, err)
	}
	for _, bad := range []options{
		{preset: "huge", labels: 1, out: dir},
		{preset: "tiny", labels: 3, out: dir},
		{preset: "tiny", labels: 1, opset: 9, out: dir},
		{preset: "tiny-roberta", labels: 1, opset: 17, out: dir},
		{preset: "tiny", tokenizer: "../../../data/tokenizers/tiny-xlmr-unigram/tokenizer.json", labels: 1, opset: 17, out: dir},
	} {
		if err := run(bad, &out); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestRunRoBERTa writes an XLM-R-shaped model sized by the test tokenizer.
func TestRunRoBERTa(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	o := options{preset: "tiny-roberta", tokenizer: "../../../data/tokenizers/tiny-xlmr-unigram/tokenizer.json", seed: 1, labels: 1, opset: 17, out: dir}
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	cfg, err := bertonnx.ReadConfig(filepath.Join(dir, bertonnx.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.VocabSize != 8002 || cfg.PadTokenID != 1 || !cfg.RoBERTaPositions || cfg.WithTokenTypes || cfg.MaxPosition != 514 {
		t.Errorf("config %+v, want XLM-R's shape over 8002 tokens with pad id 1", cfg)
	}
}
