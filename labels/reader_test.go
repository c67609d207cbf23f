package labels

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// readBytes reads the label file held in data with allocator mem, and
// releases the Reader before it returns.
func readBytes(data []byte, mem memory.Allocator) ([]Row, error) {
	r, err := NewReader(bytes.NewReader(data), int64(len(data)), "part.arrow", WithAllocator(mem))
	if err != nil {
		return nil, err
	}
	defer r.Release()
	rows, _, err := r.readAll()
	return rows, err
}

// manyRows returns n one-candidate rows, enough for several record batches
// when n > maxBatchRows.
func manyRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{QueryID: "q" + strconv.Itoa(i), DocumentIDs: []string{"d" + strconv.Itoa(i%7), "x"}, Scores: []float32{float32(i), -1}}
	}
	return rows
}

// TestReaderStreamsBatchesWithoutLeaks reads a file of three record batches
// through Next/Record/Rows/Err with a checked allocator: every row comes
// back in order, each batch's Record holds its rows, and after Release not
// one byte the Arrow reader allocated is left.
func TestReaderStreamsBatchesWithoutLeaks(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	want := manyRows(2*maxBatchRows + 7)
	path := filepath.Join(t.TempDir(), "part-00000.arrow")
	if _, err := WritePart(path, want, testProv); err != nil {
		t.Fatal(err)
	}
	r, err := OpenPart(path, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	if got := r.Provenance()[KeyModelSHA256]; got != testProv[KeyModelSHA256] {
		t.Errorf("provenance %s = %q, want %q", KeyModelSHA256, got, testProv[KeyModelSHA256])
	}
	var got []Row
	var batches []int
	for r.Next() {
		if mem.CurrentAlloc() == 0 {
			t.Error("a record batch is held but the injected allocator holds nothing: the allocator is not used")
		}
		rec, rows := r.Record(), r.Rows()
		if int(rec.NumRows()) != len(rows) {
			t.Fatalf("batch %d: Record has %d rows, Rows %d", len(batches), rec.NumRows(), len(rows))
		}
		if q := rec.Column(0).(*array.String).Value(0); q != rows[0].QueryID {
			t.Errorf("batch %d: Record's first query %q, Rows' %q", len(batches), q, rows[0].QueryID)
		}
		batches = append(batches, len(rows))
		got = append(got, rows...)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if r.Next() {
		t.Error("Next returned true after the end")
	}
	if want := []int{maxBatchRows, maxBatchRows, 7}; !reflect.DeepEqual(batches, want) {
		t.Errorf("batches of %v rows, want %v", batches, want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %d rows, not the %d written", len(got), len(want))
	}
	r.Release()
	if n := mem.CurrentAlloc(); n != 0 {
		t.Errorf("%d bytes still allocated after Release", n)
	}
}

// TestReaderErrorPathsDoNotLeak: a file whose rows do not match its content
// checksum (the last of three batches altered), a file with a non-finite
// score, and a file cut short each fail with an error naming the file, and
// leave nothing allocated after Release. The altered file delivers its
// intact first batches but never the batch whose checksum fails.
func TestReaderErrorPathsDoNotLeak(t *testing.T) {
	dir := t.TempDir()
	rows := manyRows(2*maxBatchRows + 7)
	good := filepath.Join(dir, "good.arrow")
	if _, err := WritePart(good, rows, testProv); err != nil {
		t.Fatal(err)
	}
	// The same rows with one score changed, under the checksum of the
	// original rows: what a flipped bit in a compressed buffer looks like.
	altered := append([]Row(nil), rows...)
	last := len(rows) - 1
	altered[last] = Row{QueryID: rows[last].QueryID, DocumentIDs: rows[last].DocumentIDs, Scores: []float32{42, -1}}
	alteredPath := filepath.Join(dir, "altered.arrow")
	writeWithContentSum(t, alteredPath, altered, contentSHA256(rows))
	nonFinite := filepath.Join(dir, "nonfinite.arrow")
	bad := testRows()
	bad[1].Scores[0] = float32(math.Inf(1))
	writeUnchecked(t, nonFinite, bad)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.arrow")
	if err := os.WriteFile(cut, data[:len(data)-100], 0o644); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		path, want string
		delivered  int
	}{
		{alteredPath, "the file is damaged", 2 * maxBatchRows},
		{nonFinite, "row 1", 0},
		{cut, "damaged Arrow file footer", 0},
	} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		n, err := readCounting(c.path, mem)
		if err == nil || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one naming the file and %q", filepath.Base(c.path), err, c.want)
		}
		if n != c.delivered {
			t.Errorf("%s: %d rows delivered before the error, want %d", filepath.Base(c.path), n, c.delivered)
		}
		mem.AssertSize(t, 0)
	}
}

// TestReaderPanicPathDoesNotLeak: on some damaged files Arrow's reader
// panics half-way through a record batch (found by FuzzReadPart); the
// Reader turns the panic into an error and still frees every buffer the
// aborted read allocated.
func TestReaderPanicPathDoesNotLeak(t *testing.T) {
	data, _ := readRealPart(t)
	for at := range data {
		d := append([]byte(nil), data...)
		d[at] ^= 1 << (at % 8)
		if _, err := readBytes(d, &countingAllocator{}); err == nil || !strings.Contains(err.Error(), "malformed Arrow file") {
			continue
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		_, err := readBytes(d, mem)
		if err == nil || !strings.Contains(err.Error(), "part.arrow: malformed Arrow file") {
			t.Fatalf("byte %d flipped: err = %v", at, err)
		}
		mem.AssertSize(t, 0)
		return
	}
	t.Fatal("no single-bit flip of the real part makes the Arrow reader panic: the test checks nothing")
}

// readCounting reads path to the end and returns how many rows Next
// delivered and Err.
func readCounting(path string, mem memory.Allocator) (int, error) {
	r, err := OpenPart(path, WithAllocator(mem))
	if err != nil {
		return 0, err
	}
	defer r.Release()
	n := 0
	for r.Next() {
		n += len(r.Rows())
	}
	return n, r.Err()
}

// writeWithContentSum writes rows as WritePart does but records sum as
// their content checksum.
func writeWithContentSum(t *testing.T, path string, rows []Row, sum string) {
	t.Helper()
	prov := Provenance{KeyContentSHA256: sum}
	for k, v := range testProv {
		prov[k] = v
	}
	if _, err := writeArrowPart(path, rows, Schema(prov)); err != nil {
		t.Fatal(err)
	}
}

// TestSetReadsWithInjectedAllocator: a Set opened with WithAllocator reads
// every file from that allocator, and frees all of it.
func TestSetReadsWithInjectedAllocator(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, testRows(), nil)
	mem := &countingAllocator{}
	s, err := Open(dir, true, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.ReadAll()
	if err != nil || !reflect.DeepEqual(rows, testRows()) {
		t.Fatalf("ReadAll: %v, %v", rows, err)
	}
	if mem.total == 0 || mem.n != 0 {
		t.Errorf("allocated %d bytes through the injected allocator, %d not freed; want some, all freed", mem.total, mem.n)
	}
}
