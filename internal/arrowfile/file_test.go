package arrowfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/fsutil"
)

var testSchema = arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}, {Name: "n", Type: arrow.PrimitiveTypes.Int32}}, nil)

// writeTest writes batches of ids (n = position in the batch), zstd.
func writeTest(t *testing.T, path string, batches [][]string) Written {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	w, err := Write(path, testSchema, mem, true, func(write func(arrow.Record) error) error {
		for _, ids := range batches {
			b := array.NewRecordBuilder(mem, testSchema)
			for i, id := range ids {
				b.Field(0).(*array.StringBuilder).Append(id)
				b.Field(1).(*array.Int32Builder).Append(int32(i))
			}
			rec := b.NewRecord()
			b.Release()
			err := write(rec)
			rec.Release()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestWriteThenRead: Write reports the file's real size and sha256; Open
// reads the batches back in order; the checked allocator holds every
// buffer while a batch is current and none after Release.
func TestWriteThenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.arrow")
	w := writeTest(t, path, [][]string{{"a", "b"}, {"c"}})
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if sum, _ := fsutil.SHA256File(path); w.Bytes != st.Size() || w.SHA256 != sum {
		t.Errorf("Write says %d bytes sha256 %s, the file has %d and %s", w.Bytes, w.SHA256, st.Size(), sum)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := openTest(t, path, mem)
	defer r.Release()
	var ids []string
	for r.Next() {
		if mem.CurrentAlloc() == 0 {
			t.Error("a batch is current but nothing is allocated from the injected allocator")
		}
		col := r.Record().Column(0).(*array.String)
		for i := 0; i < col.Len(); i++ {
			ids = append(ids, col.Value(i))
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "a,b,c" || r.NumRecords() != 2 {
		t.Errorf("read %v in %d batches, want a,b,c in 2", ids, r.NumRecords())
	}
	r.Release()
	mem.AssertSize(t, 0)
}

func openTest(t *testing.T, path string, mem memory.Allocator) *Reader {
	t.Helper()
	r, err := Open(path, testSchema, mem)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOpenChecksColumns: a file whose columns are not the wanted ones is a
// *ColumnsError naming the first that differs, or the count.
func TestOpenChecksColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.arrow")
	writeTest(t, path, [][]string{{"a"}})
	for _, c := range []struct {
		want   *arrow.Schema
		column int
		msg    string
	}{
		{arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}}, nil), -1, "2 columns, want 1"},
		{arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}, {Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil), 1, "column 1 is n: int32, want n: int64"},
	} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		_, err := Open(path, c.want, mem)
		var ce *ColumnsError
		if !errors.As(err, &ce) || ce.Column != c.column || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("want %s: err = %v, want a ColumnsError at %d saying %q", c.want, err, c.column, c.msg)
		}
		mem.AssertSize(t, 0)
	}
}

// TestDecodeTurnsPanicIntoError: a panic while reading the current record
// is an error, the record and the buffers are freed, and Next stops.
func TestDecodeTurnsPanicIntoError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.arrow")
	writeTest(t, path, [][]string{{"a"}, {"b"}})
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := openTest(t, path, mem)
	defer r.Release()
	if !r.Next() {
		t.Fatal(r.Err())
	}
	err := r.Decode(func() error {
		col := r.Record().Column(0).(*array.String)
		_ = col.Value(5) // out of range, as a damaged offset makes it
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "malformed Arrow file") {
		t.Errorf("Decode: %v", err)
	}
	if mem.CurrentAlloc() != 0 {
		t.Errorf("%d bytes allocated after the recovered panic", mem.CurrentAlloc())
	}
	if r.Next() || r.Err() != err {
		t.Errorf("Next after the panic: err %v", r.Err())
	}
}
