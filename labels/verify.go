package labels

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// FileCheck is the verification result of one label file of a folder.
type FileCheck struct {
	Path    string // relative to the folder
	Listed  bool   // in the manifest (false: on disk only)
	Problem string // "" when the file is intact
}

// OK reports whether the file is intact and listed.
func (c FileCheck) OK() bool { return c.Problem == "" }

// Check verifies every label file of the complete folder dir against its
// manifest: present, of the recorded size and sha256, readable to the end
// (the rows' content checksum, finite scores) with the recorded row and
// pair counts; and finds the part files on disk the manifest does not list.
// It returns one FileCheck per file, listed files first; the error is
// non-nil only when the manifest itself cannot be read.
func Check(dir string) (*Manifest, []FileCheck, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	checks := make([]FileCheck, 0, len(m.Files))
	for _, f := range m.Files {
		checks = append(checks, FileCheck{Path: f.Path, Listed: true, Problem: checkFile(dir, f)})
	}
	extra, err := m.Unlisted(dir)
	if err != nil {
		return m, nil, err
	}
	for _, p := range extra {
		checks = append(checks, FileCheck{Path: p, Problem: "on disk but not listed in " + ManifestName})
	}
	return m, checks, nil
}

// checkFile returns what is wrong with one listed file, or "".
func checkFile(dir string, f FileEntry) string {
	m := &Manifest{Files: []FileEntry{f}}
	if err := m.Verify(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "missing"
		}
		return err.Error()
	}
	got, _, err := ReadPart(filepath.Join(dir, f.Path))
	if err != nil {
		return err.Error()
	}
	if rows, pairs := len(got), countPairs(got); rows != f.Rows || pairs != f.Pairs {
		return fmt.Sprintf("%d rows and %d pairs, %s says %d and %d", rows, pairs, ManifestName, f.Rows, f.Pairs)
	}
	return ""
}

// Damaged returns the checks that found a problem.
func Damaged(checks []FileCheck) []FileCheck {
	var bad []FileCheck
	for _, c := range checks {
		if !c.OK() {
			bad = append(bad, c)
		}
	}
	return bad
}
