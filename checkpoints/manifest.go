package checkpoints

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/internal/manifest"
)

// ManifestFile is the name of a checkpoint's manifest.
const ManifestFile = manifest.Name

// manifestFormat identifies the manifest schema.
const manifestFormat = "distill-checkpoint/v1"

// ErrCorrupt matches (errors.Is) a FileError whose file does not match the
// manifest (size or sha256), or whose manifest or content is malformed.
var ErrCorrupt = manifest.ErrMismatch

// FileError names a checkpoint file that is missing, truncated or corrupted:
//
//	checkpoints: step-000200/model.safetensors: sha256 mismatch (manifest says ab12…, file has cd34…)
type FileError struct {
	Dir  string // the checkpoint folder
	File string // the file's path inside it
	Err  error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("checkpoints: %s: %v", filepath.Join(filepath.Base(e.Dir), e.File), e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// mismatchf returns a problem that errors.Is reports as ErrCorrupt without
// repeating ErrCorrupt's text.
func mismatchf(format string, args ...any) error { return manifest.Mismatch("", format, args...) }

// Manifest lists a checkpoint's files.
type Manifest struct {
	Format string         `json:"format"`
	Files  []ManifestItem `json:"files"`
}

// ManifestItem is one file of a manifest.
type ManifestItem struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// FileStatus is the verification result of one manifest entry.
type FileStatus struct {
	ManifestItem
	OK      bool
	Problem error // nil when OK
}

// writeHashed writes dir/name atomically and returns its manifest entry,
// hashing the bytes as they are written.
func writeHashed(dir, name string, write func(w io.Writer) error) (ManifestItem, error) {
	h := sha256.New()
	var size int64
	err := fsutil.WriteAtomic(filepath.Join(dir, name), 0o644, func(w io.Writer) error {
		cw := &countWriter{w: io.MultiWriter(w, h), n: &size}
		return write(cw)
	})
	if err != nil {
		return ManifestItem{}, fmt.Errorf("checkpoints: write %s: %w", name, err)
	}
	return ManifestItem{Path: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countWriter struct {
	w io.Writer
	n *int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// writeManifest writes manifest.json listing items in path order.
func writeManifest(dir string, items []ManifestItem) error {
	sort.Slice(items, func(i, j int) bool { return items[i].Path < items[j].Path })
	if err := manifest.Write(dir, Manifest{Format: manifestFormat, Files: items}); err != nil {
		return fmt.Errorf("checkpoints: write %s: %w", ManifestFile, err)
	}
	return nil
}

// ReadManifest reads and checks dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	var m Manifest
	err := manifest.Read(dir, &m)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &FileError{Dir: dir, File: ManifestFile, Err: fmt.Errorf("missing: not a checkpoint or an incomplete one: %w", err)}
	}
	if err != nil {
		return nil, &FileError{Dir: dir, File: ManifestFile, Err: err}
	}
	if m.Format != manifestFormat {
		return nil, &FileError{Dir: dir, File: ManifestFile, Err: mismatchf("format %q, want %q", m.Format, manifestFormat)}
	}
	paths := make([]string, len(m.Files))
	for i, f := range m.Files {
		paths[i] = f.Path
	}
	if err := manifest.CheckPaths(paths); err != nil {
		return nil, &FileError{Dir: dir, File: ManifestFile, Err: err}
	}
	return &m, nil
}

// Verify checks every file of the manifest: present, of the recorded size
// and sha256. It returns one status per file and the first problem as a
// *FileError (nil when all verify).
func Verify(dir string) ([]FileStatus, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	var first error
	out := make([]FileStatus, len(m.Files))
	for i, item := range m.Files {
		out[i] = FileStatus{ManifestItem: item, OK: true}
		if p := manifest.CheckFile(filepath.Join(dir, item.Path), item.Size, item.SHA256); p != nil {
			out[i].OK, out[i].Problem = false, p
			if first == nil {
				first = &FileError{Dir: dir, File: item.Path, Err: p}
			}
		}
	}
	return out, first
}
