package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// Temporary names. A file or folder written as NAME is first created as
// .NAME.tmp-DIGITS beside it (WriteAtomic, TempDir), and one being replaced
// is moved aside as .NAME.old-DIGITS (AsideDir); a kill can leave either
// behind, and nothing else distill writes has such a name.
var tempRE = regexp.MustCompile(`^\..+\.(tmp|old)-\d+$`)

// IsTemp reports whether name (a base name) is a temporary file or folder
// of an interrupted write.
func IsTemp(name string) bool { return tempRE.MatchString(name) }

// TempDir creates a temporary folder in parent for a folder to be renamed
// to parent/name once complete.
func TempDir(parent, name string) (string, error) {
	return os.MkdirTemp(parent, "."+name+".tmp-")
}

// AsideDir creates a temporary folder in parent to move an old parent/name
// into while its replacement is renamed into place.
func AsideDir(parent, name string) (string, error) {
	return os.MkdirTemp(parent, "."+name+".old-")
}

// RemoveTemps removes the temporary files and folders (IsTemp) that
// interrupted writes left in dir and returns their paths; a dir that does
// not exist holds none. The caller must own dir (hold its lock): a
// temporary file of a live writer would go too.
func RemoveTemps(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fsutil: %w", err)
	}
	var removed []string
	for _, e := range entries {
		if !IsTemp(e.Name()) || !(e.IsDir() || e.Type().IsRegular()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.RemoveAll(p); err != nil {
			return removed, fmt.Errorf("fsutil: remove leftover %s: %w", p, err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}
