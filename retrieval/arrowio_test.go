package retrieval

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestReadArrowFileUnknownNullCount: a file whose first column records a
// null count of -1 (unknown) and no validity bitmap makes Arrow count the
// nulls from a bitmap that is not there, which panics. readArrowFile's
// null check must return a FileError naming the file, not crash.
func TestReadArrowFileUnknownNullCount(t *testing.T) {
	const n = 7
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)
	mem := memory.NewGoAllocator()
	path := filepath.Join(t.TempDir(), "ids.arrow")
	_, err := writeArrowFile(path, schema, mem, false, func(write func(arrow.Record) error) error {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for i := range n {
			b.Append(int64(1000 + i))
		}
		col := b.NewArray()
		defer col.Release()
		rec := array.NewRecord(schema, []arrow.Array{col}, n)
		defer rec.Release()
		return write(rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The record batch's field node: length n, null count 0.
	node := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, n), 0)
	i := bytes.Index(data, node)
	if i < 0 {
		t.Fatal("no field node (n, 0) in the file")
	}
	binary.LittleEndian.PutUint64(data[i+8:], ^uint64(0)) // null count -1
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	err = readArrowFile(path, schema, mem, func(arrow.Metadata) error { return nil }, func(arrow.Record) error { return nil })
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != path || !errors.Is(err, ErrCorrupt) {
		t.Fatalf("readArrowFile of a file with null count -1: %v, want a corrupt FileError naming %s", err, path)
	}
}
