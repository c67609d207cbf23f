package labels

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadPart: whatever bytes sit in a labels file, reading it returns rows
// or an error naming the file, never a panic.
func FuzzReadPart(f *testing.F) {
	dir := f.TempDir()
	p := filepath.Join(dir, "seed.arrow")
	if _, err := WritePart(p, testRows(), testProv); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(p)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("ARROW1\x00\x00"))
	f.Add([]byte{})
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/3] ^= 0x40
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "part.arrow")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, _, err := ReadPart(path)
		for _, r := range rows {
			if verr := r.Validate(); verr != nil {
				t.Fatalf("ReadPart delivered an invalid row (err %v): %v", err, verr)
			}
		}
	})
}

// FuzzReadManifest: a damaged manifest.json is an error, never a panic.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"version":"1","files":[{"path":"part-00000.arrow","rows":1,"pairs":2,"bytes":10,"sha256":"ab"}]}`))
	f.Add([]byte(`{"version":"1","files":[{"path":"/etc/passwd"}]}`))
	f.Add([]byte(`{"version":"2"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ManifestName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if m, err := ReadManifest(dir); err == nil {
			m.Verify(dir)
		}
	})
}
