package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTemp writes content to a file called name in a fresh temporary folder
// and returns its path.
func writeTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// lines returns a lineReader over s named name.
func lines(name, s string) *lineReader {
	return newLineReader(strings.NewReader(s), name)
}

// checkParseError fails unless err is a *ParseError at wantLine whose message
// contains wantMsg.
func checkParseError(t *testing.T, err error, wantLine int, wantMsg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want a *ParseError", err, err)
	}
	if pe.Line != wantLine {
		t.Errorf("line = %d, want %d (%v)", pe.Line, wantLine, err)
	}
	if !strings.Contains(err.Error(), wantMsg) {
		t.Errorf("error %q does not contain %q", err, wantMsg)
	}
}
