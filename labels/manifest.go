package labels

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/distill-ml/distill/internal/manifest"
)

// ManifestName is the manifest's file name inside a labels folder.
const ManifestName = manifest.Name

// ErrNoManifest is returned by ReadManifest for a folder without manifest.json
// (an unfinished job, or not a labels folder).
var ErrNoManifest = errors.New("labels: no manifest.json")

// FileEntry describes one Arrow file of a labels folder.
type FileEntry struct {
	// Path relative to the folder holding the manifest.
	Path   string `json:"path"`
	Rows   int    `json:"rows"`
	Pairs  int    `json:"pairs"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Shard says which part of a job's queries a folder holds.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// String formats the shard as "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Manifest lists the files of a complete labels folder.
type Manifest struct {
	Version    string      `json:"version"`
	Provenance Provenance  `json:"provenance"`
	Shard      *Shard      `json:"shard,omitempty"`
	Shards     []string    `json:"shards,omitempty"` // merged manifests: the shard folders
	Files      []FileEntry `json:"files"`
	Queries    int         `json:"queries"`
	Pairs      int         `json:"pairs"`
}

// WriteManifest writes m to dir/manifest.json atomically.
func WriteManifest(dir string, m *Manifest) error {
	m.Version = SchemaVersion
	m.Queries, m.Pairs = 0, 0
	for _, f := range m.Files {
		m.Queries += f.Rows
		m.Pairs += f.Pairs
	}
	if err := manifest.Write(dir, m); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	return nil
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	var m Manifest
	err := manifest.Read(dir, &m)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoManifest, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	if m.Version != SchemaVersion {
		return nil, fmt.Errorf("labels: %s: version %q, this distill reads version %s", path, m.Version, SchemaVersion)
	}
	paths := make([]string, len(m.Files))
	for i, f := range m.Files {
		paths[i] = f.Path
	}
	if err := manifest.CheckPaths(paths); err != nil {
		return nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	return &m, nil
}

// Unlisted returns the label files (part-*.arrow, in dir and in its shard
// folders) that are on disk but not in the manifest, relative to dir.
func (m *Manifest) Unlisted(dir string) ([]string, error) {
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[filepath.Clean(f.Path)] = true
	}
	var extra []string
	for _, pattern := range []string{"part-*.arrow", "shard-*/part-*.arrow"} {
		found, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		for _, p := range found {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return nil, fmt.Errorf("labels: %w", err)
			}
			if !listed[rel] {
				extra = append(extra, rel)
			}
		}
	}
	sort.Strings(extra)
	return extra, nil
}

// Verify checks every file of the manifest: present, same size and sha256.
// A missing file's error matches fs.ErrNotExist.
func (m *Manifest) Verify(dir string) error {
	for _, f := range m.Files {
		p := filepath.Join(dir, f.Path)
		if err := manifest.CheckFile(p, f.Bytes, f.SHA256); err != nil {
			return fmt.Errorf("labels: %s: %w", p, err)
		}
	}
	return nil
}

// sortFiles orders entries by path.
func sortFiles(files []FileEntry) {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
}
