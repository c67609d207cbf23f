package bertonnx

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestEmbeddingRows reads the token table's size from models this package
// writes (BERT and RoBERTa shapes, int32 inputs) and from the committed
// torch.onnx.export of the same weights, whose graph torch names.
func TestEmbeddingRows(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		cfg  Config
		opts WriteOptions
	}{
		{"bert", Tiny(), WriteOptions{}},
		{"roberta-int32", TinyRoBERTa(8261, 1), WriteOptions{Int32Inputs: true}},
	} {
		path := filepath.Join(dir, tc.name+".onnx")
		if err := WriteCrossEncoder(path, tc.cfg, RandomWeights(tc.cfg, 3), tc.opts); err != nil {
			t.Fatal(err)
		}
		rows, name, found, err := EmbeddingRows(path)
		if err != nil || !found || rows != tc.cfg.VocabSize || name == "" {
			t.Fatalf("%s: EmbeddingRows = %d, %q, %v, %v; want %d rows", tc.name, rows, name, found, err, tc.cfg.VocabSize)
		}
	}
	// torch_export.py exports Tiny-shaped weights.
	rows, name, found, err := EmbeddingRows("testdata/torch_tiny/model.onnx")
	if err != nil || !found || rows != Tiny().VocabSize || name != "bert.embeddings.word_embeddings.weight" {
		t.Fatalf("torch export: EmbeddingRows = %d, %q, %v, %v; want %d rows of bert.embeddings.word_embeddings.weight",
			rows, name, found, err, Tiny().VocabSize)
	}
}

// FuzzEmbeddingRows feeds EmbeddingRows damaged models: it must return an
// error or a result, never panic or read past the file.
func FuzzEmbeddingRows(f *testing.F) {
	path := filepath.Join(f.TempDir(), "m.onnx")
	cfg := Tiny()
	cfg.VocabSize, cfg.MaxPosition = 50, 16
	if err := WriteCrossEncoder(path, cfg, RandomWeights(cfg, 1), WriteOptions{}); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/3])
	f.Add([]byte{0x3a, 0x05, 0x0a, 0x03, 0x12, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, _, found, err := embeddingRows(bytes.NewReader(b), int64(len(b)), "fuzz.onnx")
		if (err != nil || !found) && rows != 0 {
			t.Fatalf("rows %d with found %v, err %v", rows, found, err)
		}
	})
}

// TestEmbeddingRowsBadFiles checks that a truncated model and a file that
// is not ONNX give ErrONNX, never a panic or a wrong size.
func TestEmbeddingRowsBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "m.onnx")
	if err := WriteCrossEncoder(good, Tiny(), RandomWeights(Tiny(), 1), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"truncated", data[:len(data)/2]},
		{"text", []byte("this is not an ONNX model\n")},
		{"empty", nil},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, _, found, err := EmbeddingRows(path)
		if !errors.Is(err, ErrONNX) || found || rows != 0 {
			t.Errorf("%s: EmbeddingRows = %d, %v, %v; want ErrONNX", tc.name, rows, found, err)
		}
	}
	if _, _, _, err := EmbeddingRows(filepath.Join(dir, "missing.onnx")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}
