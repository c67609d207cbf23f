// Package fsutil provides crash-safe file writes, folder locks, the names of
// temporary files and content hashing.
//
// Every file distill writes goes through WriteAtomic: the data is written to a
// temporary file in the destination folder, fsynced, renamed over the target
// and the folder is fsynced, so a reader (or a resumed job) sees either the old
// file or the complete new one, never a torn write. The temporary names are
// defined once (IsTemp), so that whoever owns a folder after a kill removes
// the leftovers (RemoveTemps) and nothing else.
package fsutil

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/internal/killpoint"
)

// WriteAtomic creates path with the content produced by write. The file
// appears under its final name only after write returned nil and the data
// reached the disk. On error nothing is left behind.
func WriteAtomic(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("fsutil: create temp file for %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("fsutil: chmod %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("fsutil: fsync %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("fsutil: close %s: %w", tmp, err)
	}
	killpoint.Reach("rename:" + filepath.Base(path))
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("fsutil: rename %s to %s: %w", tmp, path, err)
	}
	return SyncDir(dir)
}

// WriteFileAtomic is WriteAtomic for a byte slice.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return WriteAtomic(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteJSON writes v as indented JSON and a newline to path, atomically.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("fsutil: encode %s: %w", path, err)
	}
	return WriteFileAtomic(path, append(data, '\n'), 0o644)
}

// SyncDir fsyncs a directory so that renames and creations inside it are durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsutil: open dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsutil: fsync dir %s: %w", dir, err)
	}
	return nil
}

// SHA256File returns the lowercase hex sha256 of a file's content.
func SHA256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("fsutil: hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
