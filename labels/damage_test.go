package labels

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

const realPart = "testdata/real/part-00000.arrow"

func readRealPart(t testing.TB) ([]byte, []Row) {
	t.Helper()
	data, err := os.ReadFile(realPart)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := ReadPart(realPart)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || len(rows[0].DocumentIDs) != 8 {
		t.Fatalf("the real part holds %d rows", len(rows))
	}
	return data, rows
}

// flipAndRead writes data with bit (bit%8) of byte at flipped and reads it
// back. It fails the test when the damaged file reads without an error but
// with other rows than want: damage must never pass silently; and when the
// read, failed or not, leaves any of the Arrow reader's buffers allocated.
func flipAndRead(t *testing.T, data []byte, at int, bit uint, want []Row) error {
	d := append([]byte(nil), data...)
	d[at] ^= 1 << (bit % 8)
	mem := &countingAllocator{}
	got, err := readBytes(d, mem)
	if n := mem.n; n != 0 {
		t.Fatalf("bit %d of byte %d flipped: %d bytes still allocated after Release (err %v)", bit%8, at, n, err)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("bit %d of byte %d flipped: read without error but the rows differ:\n got %v\nwant %v", bit%8, at, got, want)
	}
	if err != nil && len(got) > 0 {
		t.Fatalf("bit %d of byte %d flipped: %d rows delivered before the error %v", bit%8, at, len(got), err)
	}
	return err
}

// TestReadPartEveryByteFlipped (issue 10, case 4): one bit flipped in each
// byte of a real label file, in turn, is an error or (in padding the reader
// never uses) the same rows; never an out-of-memory crash, a panic or
// different ids.
func TestReadPartEveryByteFlipped(t *testing.T) {
	data, want := readRealPart(t)
	detected := 0
	for at := range data {
		if flipAndRead(t, data, at, uint(at), want) != nil {
			detected++
		}
	}
	t.Logf("%d of %d single-bit flips detected, the others fall in bytes the reader never uses", detected, len(data))
}

// FuzzReadPartBitFlip flips bits of the real label file: the reader returns
// an error or exactly the original rows.
func FuzzReadPartBitFlip(f *testing.F) {
	data, want := readRealPart(f)
	for _, at := range []int{0, 8, 100, 700, 1500, 2400, 3000, len(data) - 12, len(data) - 1} {
		f.Add(uint32(at), uint8(at))
	}
	f.Fuzz(func(t *testing.T, at uint32, bit uint8) {
		flipAndRead(t, data, int(at)%len(data), uint(bit), want)
	})
}

// TestManifestListsEveryPart (issue 10, case 7): a label file on disk that
// the manifest does not list, and a listed path outside the folder, are
// errors naming them.
func TestManifestListsEveryPart(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, testRows(), nil)
	if _, err := WritePart(filepath.Join(dir, "part-00001.arrow"), testRows()[:1], testProv); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, true); err == nil || !strings.Contains(err.Error(), "part-00001.arrow on disk but not listed") {
		t.Errorf("an unlisted part: %v", err)
	}
	if _, _, err := ReadDir(dir); err == nil {
		t.Error("ReadDir read a folder with an unlisted part")
	}

	outside := t.TempDir()
	inner := filepath.Join(outside, "labels")
	m := writeSet(t, inner, testRows(), nil)
	for _, p := range []string{"../labels/part-00000.arrow", "/etc/passwd", "a/../../b.arrow"} {
		m.Files[0].Path = p
		if err := WriteManifest(inner, m); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadManifest(inner); err == nil || !strings.Contains(err.Error(), "not inside the folder") {
			t.Errorf("listed path %q: %v", p, err)
		}
	}
}

// TestNonFiniteScoresRefused (issue 10, case 3): a label file with a NaN or
// infinite score cannot be written, and one that holds such a score (written
// by an older distill) fails to load naming the file and the row.
func TestNonFiniteScoresRefused(t *testing.T) {
	for _, v := range []float32{float32(math.Inf(-1)), float32(math.Inf(1)), float32(math.NaN())} {
		rows := testRows()
		rows[0].Scores[1] = v
		path := filepath.Join(t.TempDir(), "part-00000.arrow")
		if _, err := WritePart(path, rows, testProv); err == nil || !strings.Contains(err.Error(), "not finite") {
			t.Errorf("WritePart with score %v: %v", v, err)
		}
		writeUnchecked(t, path, rows)
		_, _, err := ReadPart(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "row 0") ||
			!strings.Contains(err.Error(), "query q1, document d2") {
			t.Errorf("reading a score %v: %v, want an error naming the file, row 0 and the pair", v, err)
		}
	}
}

// writeUnchecked writes rows as a label file without the checks of
// WritePart, as a distill before issue 10 did.
func writeUnchecked(t *testing.T, path string, rows []Row) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	schema := Schema(testProv)
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	rec := buildRecord(mem, schema, rows)
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// countingAllocator is a Go allocator that counts the bytes allocated and
// not yet freed: memory.CheckedAllocator's count without its bookkeeping of
// callers, cheap enough for a read of every flipped bit.
type countingAllocator struct {
	memory.GoAllocator
	n     int // allocated and not freed
	total int // allocated in all
}

func (a *countingAllocator) Allocate(size int) []byte {
	a.n += size
	a.total += size
	return a.GoAllocator.Allocate(size)
}

func (a *countingAllocator) Reallocate(size int, b []byte) []byte {
	a.n += size - len(b)
	return a.GoAllocator.Reallocate(size, b)
}

func (a *countingAllocator) Free(b []byte) {
	a.n -= len(b)
	a.GoAllocator.Free(b)
}
