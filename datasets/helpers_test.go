package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
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

// readCase is one case of a reader's table test: the content of the file
// read, and either the value read or the line and part of the message of
// the *ParseError.
type readCase[T any] struct {
	name     string
	content  string
	want     T
	wantLine int    // >0: want a ParseError on this line
	wantMsg  string // part of that error's message
}

// runReadCases writes each case's content to a file called file and checks
// what read gives for it (see checkRead).
func runReadCases[T any](t *testing.T, file string, read func(string) (T, error), cases []readCase[T]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkRead(t, writeTemp(t, file, tc.content), read, tc.want, tc.wantLine, tc.wantMsg)
		})
	}
}

// fileCase is a readCase whose file name, and so format, varies by case.
type fileCase[T any] struct {
	name, file, content string
	want                T
	wantLine            int
	wantMsg             string
}

// runFileCases writes each case's content to its file and checks what read
// gives for it (see checkRead).
func runFileCases[T any](t *testing.T, read func(string) (T, error), cases []fileCase[T]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkRead(t, writeTemp(t, tc.file, tc.content), read, tc.want, tc.wantLine, tc.wantMsg)
		})
	}
}

// checkRead reads path with read and checks the result: want, or when
// wantLine > 0 a *ParseError on that line whose message contains wantMsg
// and names the file.
func checkRead[T any](t *testing.T, path string, read func(string) (T, error), want T, wantLine int, wantMsg string) {
	t.Helper()
	got, err := read(path)
	if wantLine > 0 {
		checkParseError(t, err, wantLine, wantMsg)
		if err != nil && !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name the file", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}
