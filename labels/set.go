package labels

import (
	"fmt"
	"path/filepath"
)

// Set is a complete labels folder opened through its manifest.
type Set struct {
	Dir      string
	Manifest *Manifest
}

// Open reads dir's manifest and, when verify is set, checks every file's
// size and sha256 against it.
func Open(dir string, verify bool) (*Set, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if verify {
		if err := m.Verify(dir); err != nil {
			return nil, err
		}
	}
	return &Set{Dir: dir, Manifest: m}, nil
}

// ForEach streams every row of the set to fn, file by file in manifest order.
// A query id that appears twice is an error: labels never hold duplicates.
func (s *Set) ForEach(fn func(Row) error) error {
	seen := make(map[string]string)
	for _, f := range s.Manifest.Files {
		path := filepath.Join(s.Dir, f.Path)
		n := 0
		_, err := ReadPart(path, func(r Row) error {
			if prev, dup := seen[r.QueryID]; dup {
				return fmt.Errorf("labels: query %s appears in both %s and %s", r.QueryID, prev, f.Path)
			}
			seen[r.QueryID] = f.Path
			n++
			return fn(r)
		})
		if err != nil {
			return err
		}
		if n != f.Rows {
			return fmt.Errorf("labels: %s: %d rows, manifest says %d", path, n, f.Rows)
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
