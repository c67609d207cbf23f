package bertonnx

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSafetensorsRoundTrip(t *testing.T) {
	cfg := Tiny()
	cfg.Layers = 1
	w := RandomWeights(cfg, 4)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := WriteSafetensors(path, w); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Validate(cfg); err != nil {
		t.Fatal(err)
	}
	for name, tw := range w {
		if !slices.Equal(got[name].Shape, tw.Shape) || !slices.Equal(got[name].Data, tw.Data) {
			t.Errorf("%s differs after the round trip", name)
		}
	}
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, data[:len(data)-4], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSafetensors(path); !errors.Is(err, ErrSafetensors) {
		t.Errorf("truncated file: error %v, want ErrSafetensors", err)
	}
}
