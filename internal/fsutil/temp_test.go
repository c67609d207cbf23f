package fsutil

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

func TestIsTemp(t *testing.T) {
	for name, want := range map[string]bool{
		".part-00000.arrow.tmp-123456": true,
		".step-000200.tmp-42":          true,
		".best.old-7":                  true,
		".manifest.json.tmp-":          false, // no digits: not made by os.CreateTemp
		"part-00000.arrow.tmp-12":      false, // not hidden
		".distill.lock":                false,
		".step-000200.tmp-42x":         false,
		"step-000200":                  false,
	} {
		if got := IsTemp(name); got != want {
			t.Errorf("IsTemp(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestRemoveTempsAfterInterruptedWrites: the temporary file WriteAtomic
// makes and the folders TempDir and AsideDir make are what RemoveTemps
// removes; finished files, the lock file and other folders stay.
func TestRemoveTempsAfterInterruptedWrites(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFileAtomic(filepath.Join(dir, "done.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// WriteAtomic's own temporary name, as a kill before the rename leaves it.
	f, err := os.CreateTemp(dir, ".part-00001.arrow.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	tmp, err := TempDir(dir, "step-000010")
	if err != nil {
		t.Fatal(err)
	}
	aside, err := AsideDir(dir, "best")
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{LockFile, "step-000005"} {
		if err := os.Mkdir(filepath.Join(dir, keep), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := RemoveTemps(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{f.Name(), tmp, aside}
	sort.Strings(want)
	sort.Strings(removed)
	if !reflect.DeepEqual(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{LockFile, "done.json", "step-000005"}; !reflect.DeepEqual(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	if removed, err := RemoveTemps(filepath.Join(dir, "missing")); err != nil || removed != nil {
		t.Errorf("a missing folder: %v, %v", removed, err)
	}
}
