package retrieval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	mfile "github.com/distill-ml/distill/internal/manifest"
)

// ManifestName is the manifest's file name inside an index folder.
const ManifestName = mfile.Name

// FormatVersion is the version of the on-disk layout written by this package.
const FormatVersion = "1"

// Kinds of index folder, recorded in the manifest.
const (
	kindSparse     = "splade-inverted-index"
	kindEmbeddings = "colbert-token-embeddings"
)

// fileEntry describes one data file of an index folder.
type fileEntry struct {
	Path   string `json:"path"` // relative to the folder
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// manifest lists the files of a complete index folder and the counts they
// must hold. It is written last, so its presence means the save finished.
type manifest struct {
	Version   string      `json:"version"`
	Kind      string      `json:"kind"`
	Key       string      `json:"key"`
	Documents int         `json:"documents"`
	VocabSize int         `json:"vocab_size,omitempty"`
	Postings  int64       `json:"postings,omitempty"`
	PruneTopK int         `json:"prune_top_k,omitempty"`
	Dim       int         `json:"dim,omitempty"`
	Tokens    int64       `json:"tokens,omitempty"`
	Files     []fileEntry `json:"files"`
}

// writeManifest writes m to dir/manifest.json atomically.
func writeManifest(dir string, m *manifest) error {
	m.Version = FormatVersion
	if err := mfile.Write(dir, m); err != nil {
		return fmt.Errorf("retrieval: %w", err)
	}
	return nil
}

// readManifest reads dir/manifest.json and checks its version and kind.
func readManifest(dir, kind string) (*manifest, error) {
	path := filepath.Join(dir, ManifestName)
	var m manifest
	err := mfile.Read(dir, &m)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s", ErrNoManifest, dir)
	}
	if err != nil {
		return nil, corrupt(path, "", "%v", err)
	}
	if m.Version != FormatVersion {
		return nil, &FileError{File: path, Field: "version", Err: fmt.Errorf("version %q, this distill reads version %s", m.Version, FormatVersion)}
	}
	if m.Kind != kind {
		return nil, &FileError{File: path, Field: "kind", Err: fmt.Errorf("folder holds a %q, want a %q", m.Kind, kind)}
	}
	return &m, nil
}

// verify checks that the file name of m is present with the recorded size
// and sha256, and returns its path.
func (m *manifest) verify(dir, name string) (string, error) {
	for _, f := range m.Files {
		if f.Path != name {
			continue
		}
		p := filepath.Join(dir, f.Path)
		if err := mfile.CheckFile(p, f.Bytes, f.SHA256); err != nil {
			var pr *mfile.Problem
			if errors.As(err, &pr) {
				return "", corrupt(p, pr.Field, "%v", err)
			}
			return "", err
		}
		return p, nil
	}
	return "", corrupt(filepath.Join(dir, ManifestName), "files", "no entry for %s", name)
}

// removeManifest deletes dir/manifest.json so that a folder being rewritten
// is never taken for a complete one.
func removeManifest(dir string) error {
	err := os.Remove(filepath.Join(dir, ManifestName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("retrieval: %w", err)
	}
	return nil
}
