package fsutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.json")
	if err := WriteJSON(path, map[string]any{"b": 1, "a": []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "{\n  \"a\": [\n    \"x\"\n  ],\n  \"b\": 1\n}\n"; string(got) != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
	if err := WriteJSON(path, func() {}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a value JSON cannot encode: %v", err)
	}
}
