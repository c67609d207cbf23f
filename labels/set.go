package labels

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Set is a complete labels folder opened through its manifest.
type Set struct {
	Dir      string
	Manifest *Manifest
	opts     []Option // for reading its files
}

// Open reads dir's manifest and, when verify is set, checks every file's
// size and sha256 against it. A label file on disk that the manifest does
// not list is an error: reading the listed ones alone would train on part
// of the data without a word. opts apply to every file the Set reads.
func Open(dir string, verify bool, opts ...Option) (*Set, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	extra, err := m.Unlisted(dir)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		return nil, fmt.Errorf("labels: %s: %s on disk but not listed in %s (a stale manifest, or another job's files): check with 'distill labels verify %s'",
			dir, strings.Join(extra, ", "), ManifestName, dir)
	}
	if verify {
		if err := m.Verify(dir); err != nil {
			return nil, err
		}
	}
	return &Set{Dir: dir, Manifest: m, opts: opts}, nil
}

// ForEach streams every row of the set to fn, file by file in manifest order.
// A query id that appears twice is an error: labels never hold duplicates.
func (s *Set) ForEach(fn func(Row) error) error {
	seen := make(map[string]string)
	for _, f := range s.Manifest.Files {
		path := filepath.Join(s.Dir, f.Path)
		rows, _, err := ReadPart(path, s.opts...)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if prev, dup := seen[r.QueryID]; dup {
				return fmt.Errorf("labels: query %s appears in both %s and %s", r.QueryID, prev, f.Path)
			}
			seen[r.QueryID] = f.Path
			if err := fn(r); err != nil {
				return err
			}
		}
		if n, pairs := len(rows), countPairs(rows); n != f.Rows || pairs != f.Pairs {
			return fmt.Errorf("labels: %s: %d rows and %d pairs, manifest says %d and %d", path, n, pairs, f.Rows, f.Pairs)
		}
	}
	return nil
}

// ReadAll returns every row of the set.
func (s *Set) ReadAll() ([]Row, error) {
	var rows []Row
	err := s.ForEach(func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// ReadDir opens dir (verifying it) and returns all its rows.
func ReadDir(dir string) ([]Row, Provenance, error) {
	s, err := Open(dir, true)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.ReadAll()
	return rows, s.Manifest.Provenance, err
}
