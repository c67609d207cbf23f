package labels

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/distill-ml/distill/internal/fsutil"
)

// ManifestName is the manifest's file name inside a labels folder.
const ManifestName = "manifest.json"

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
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(dir, ManifestName), append(data, '\n'), 0o644)
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoManifest, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	if m.Version != SchemaVersion {
		return nil, fmt.Errorf("labels: %s: version %q, this distill reads version %s", path, m.Version, SchemaVersion)
	}
	seen := map[string]bool{}
	for i, f := range m.Files {
		if !filepath.IsLocal(f.Path) {
			return nil, fmt.Errorf("labels: %s: files[%d]: path %q is not inside the folder", path, i, f.Path)
		}
		if seen[filepath.Clean(f.Path)] {
			return nil, fmt.Errorf("labels: %s: files[%d]: %s is listed twice", path, i, f.Path)
		}
		seen[filepath.Clean(f.Path)] = true
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
func (m *Manifest) Verify(dir string) error {
	for _, f := range m.Files {
		p := filepath.Join(dir, f.Path)
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("labels: %s listed in %s: %w", f.Path, ManifestName, err)
		}
		if st.Size() != f.Bytes {
			return fmt.Errorf("labels: %s: %d bytes, manifest says %d (truncated or altered)", p, st.Size(), f.Bytes)
		}
		sum, err := fsutil.SHA256File(p)
		if err != nil {
			return err
		}
		if sum != f.SHA256 {
			return fmt.Errorf("labels: %s: sha256 %s, manifest says %s", p, sum, f.SHA256)
		}
	}
	return nil
}

// sortFiles orders entries by path.
func sortFiles(files []FileEntry) {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
}
