// Package manifest reads, writes and checks the manifest.json of distill's
// folders (labels, checkpoints, index folders): a JSON document, written
// last and atomically, that lists the folder's files with their sizes and
// sha256, so that a reader detects a missing, truncated or altered file and
// names it.
//
// Each folder kind keeps its own manifest type (their JSON layouts are
// fixed by the files older distills wrote); this package holds what they
// share: the JSON encoding, the checks of the listed paths, and the checks
// of a file against its entry, whose problems read alike everywhere:
//
//	missing (listed in the manifest)
//	truncated (manifest says 3794 bytes, file has 3700)
//	sha256 mismatch (manifest says 0123456789ab…, file has cd34ef567890…)
package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/internal/fsutil"
)

// Name is the file name of a manifest inside its folder.
const Name = "manifest.json"

// ErrMismatch is matched (errors.Is) by every Problem but a missing file:
// a malformed manifest, or a file that does not match its entry.
var ErrMismatch = errors.New("does not match the manifest")

// Problem is what is wrong with a manifest or with one file it lists. Field
// names the manifest field the file contradicts ("files" when it is not on
// disk, "bytes", "sha256"; "" for the manifest itself); the text is the
// detail, without the file's name, which the caller adds. A Problem matches
// ErrMismatch, or fs.ErrNotExist for a missing file.
type Problem struct {
	Field string
	msg   string
	is    error
}

func (p *Problem) Error() string { return p.msg }

// Is reports whether p is of the kind target.
func (p *Problem) Is(target error) bool { return target == p.is }

// Mismatch returns a Problem matching ErrMismatch: field as in Problem,
// the text formatted from format and args.
func Mismatch(field, format string, args ...any) *Problem {
	return &Problem{Field: field, msg: fmt.Sprintf(format, args...), is: ErrMismatch}
}

// Write writes v as indented JSON (and a newline) to dir/manifest.json,
// atomically.
func Write(dir string, v any) error {
	return fsutil.WriteJSON(filepath.Join(dir, Name), v)
}

// Read decodes dir/manifest.json into v. A folder without one returns an
// error matching fs.ErrNotExist; JSON that does not decode, a Problem.
func Read(dir string, v any) error {
	data, err := os.ReadFile(filepath.Join(dir, Name))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return Mismatch("", "invalid JSON: %v", err)
	}
	return nil
}

// CheckPaths checks the paths a manifest lists: each inside the folder, not
// the manifest itself, and listed once.
func CheckPaths(paths []string) error {
	seen := make(map[string]bool, len(paths))
	for i, p := range paths {
		c := filepath.Clean(p)
		if !filepath.IsLocal(p) || c == Name {
			return Mismatch("files", "files[%d]: invalid file path %q: not inside the folder", i, p)
		}
		if seen[c] {
			return Mismatch("files", "files[%d]: %s is listed twice", i, p)
		}
		seen[c] = true
	}
	return nil
}

// CheckFile checks the file at path against its entry: present, of size
// bytes and of the given sha256 (lowercase hex). It returns a *Problem, or
// the error of reading the file.
func CheckFile(path string, size int64, sha256 string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Problem{Field: "files", msg: "missing (listed in the manifest)", is: fs.ErrNotExist}
	}
	if err != nil {
		return err
	}
	if err := CheckSize(size, st.Size()); err != nil {
		return err
	}
	sum, err := fsutil.SHA256File(path)
	if err != nil {
		return err
	}
	return CheckSHA256(sha256, sum)
}

// CheckSize returns a Problem unless a file of got bytes has the size
// listed, want.
func CheckSize(want, got int64) error {
	if got == want {
		return nil
	}
	what := "truncated"
	if got > want {
		what = "larger than recorded"
	}
	return Mismatch("bytes", "%s (manifest says %d bytes, file has %d)", what, want, got)
}

// CheckSHA256 returns a Problem unless the sha256 got is the one listed,
// want.
func CheckSHA256(want, got string) error {
	if got == want {
		return nil
	}
	return Mismatch("sha256", "sha256 mismatch (manifest says %s…, file has %s…)", Short(want), Short(got))
}

// Short returns the first 12 characters of a hex digest, for messages.
func Short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
