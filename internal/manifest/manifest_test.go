package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-ml/distill/internal/fsutil"
)

func TestWriteThenRead(t *testing.T) {
	dir := t.TempDir()
	type doc struct {
		Version string   `json:"version"`
		Files   []string `json:"files"`
	}
	if err := Write(dir, doc{"1", []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, Name))
	if want := "{\n  \"version\": \"1\",\n  \"files\": [\n    \"a\"\n  ]\n}\n"; string(raw) != want {
		t.Errorf("wrote %q, want %q", raw, want)
	}
	var got doc
	if err := Read(dir, &got); err != nil || got.Version != "1" || len(got.Files) != 1 {
		t.Errorf("Read: %+v, %v", got, err)
	}
	if err := Read(t.TempDir(), &got); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a folder without a manifest: %v", err)
	}
	os.WriteFile(filepath.Join(dir, Name), []byte("{"), 0o644)
	if err := Read(dir, &got); !errors.Is(err, ErrMismatch) || !strings.HasPrefix(err.Error(), "invalid JSON") {
		t.Errorf("Read of broken JSON: %v", err)
	}
}

func TestCheckPaths(t *testing.T) {
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{"part-00000.arrow", "shard-00000-of-00002/part-00000.arrow"}, ""},
		{[]string{"a", "../a"}, `files[1]: invalid file path "../a": not inside the folder`},
		{[]string{"/etc/passwd"}, "not inside the folder"},
		{[]string{Name}, "not inside the folder"},
		{[]string{"a", "./a"}, "files[1]: ./a is listed twice"},
	} {
		err := CheckPaths(c.paths)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrMismatch)) {
			t.Errorf("CheckPaths(%q) = %v, want %q", c.paths, err, c.want)
		}
	}
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _ := fsutil.SHA256File(path)
	other := strings.Repeat("0", 64)
	for _, c := range []struct {
		path       string
		size       int64
		sha, field string
		want       string
		is         error
	}{
		{path, 5, sum, "", "", nil},
		{filepath.Join(dir, "gone"), 5, sum, "files", "missing (listed in the manifest)", fs.ErrNotExist},
		{path, 6, sum, "bytes", "truncated (manifest says 6 bytes, file has 5)", ErrMismatch},
		{path, 4, sum, "bytes", "larger than recorded (manifest says 4 bytes, file has 5)", ErrMismatch},
		{path, 5, other, "sha256", "sha256 mismatch (manifest says 000000000000…, file has " + sum[:12] + "…)", ErrMismatch},
	} {
		err := CheckFile(c.path, c.size, c.sha)
		if c.want == "" {
			if err != nil {
				t.Errorf("intact file: %v", err)
			}
			continue
		}
		var p *Problem
		if !errors.As(err, &p) || p.Field != c.field || err.Error() != c.want || !errors.Is(err, c.is) {
			t.Errorf("CheckFile(%s, %d): %v, want %s: %q matching %v", filepath.Base(c.path), c.size, err, c.field, c.want, c.is)
		}
	}
}
