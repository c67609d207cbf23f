package retrieval

import (
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/arrowguard"
	"github.com/distill-ml/distill/internal/fsutil"
)

// maxBatchValues bounds the list values per Arrow record batch, keeping list
// offsets (int32) far from overflow and batches small enough to stream.
const maxBatchValues = 1 << 22

// writeArrowFile writes the records produced by emit as one Arrow IPC file
// at path, atomically, zstd-compressed when compress is set. emit must
// release each record it passes to write. It returns the file's entry (the
// path as given).
func writeArrowFile(path string, schema *arrow.Schema, mem memory.Allocator, compress bool, emit func(write func(arrow.Record) error) error) (fileEntry, error) {
	err := fsutil.WriteAtomic(path, 0o644, func(w io.Writer) error {
		ws, ok := w.(io.WriteSeeker)
		if !ok {
			return fmt.Errorf("retrieval: %s: writer cannot seek", path)
		}
		opts := []ipc.Option{ipc.WithSchema(schema), ipc.WithAllocator(mem)}
		if compress {
			opts = append(opts, ipc.WithZstd())
		}
		fw, err := ipc.NewFileWriter(ws, opts...)
		if err != nil {
			return fmt.Errorf("retrieval: create arrow writer for %s: %w", path, err)
		}
		err = emit(func(rec arrow.Record) error {
			if err := fw.Write(rec); err != nil {
				return fmt.Errorf("retrieval: write record batch to %s: %w", path, err)
			}
			return nil
		})
		if err != nil {
			fw.Close()
			return err
		}
		if err := fw.Close(); err != nil {
			return fmt.Errorf("retrieval: close arrow file %s: %w", path, err)
		}
		return nil
	})
	if err != nil {
		return fileEntry{}, err
	}
	sum, err := fsutil.SHA256File(path)
	if err != nil {
		return fileEntry{}, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return fileEntry{}, err
	}
	return fileEntry{Path: path, Bytes: st.Size(), SHA256: sum}, nil
}

// readArrowFile checks that the file at path has the columns of want and
// calls fn with its schema metadata and then with each record batch in
// order. A record is valid only during its call.
//
// Lengths in the file are checked against its size before Arrow allocates
// by them (package arrowguard), and a panic of the Arrow reader on a
// malformed file is an error naming it.
func readArrowFile(path string, want *arrow.Schema, mem memory.Allocator, meta func(arrow.Metadata) error, fn func(arrow.Record) error) (err error) {
	f, err := os.Open(path)
	if err != nil {
		return corrupt(path, "", "%v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return corrupt(path, "", "%v", err)
	}
	if err := arrowguard.CheckFooter(f, st.Size()); err != nil {
		return corrupt(path, "", "%v", err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = corrupt(path, "", "malformed Arrow file: %v", r)
		}
	}()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(arrowguard.Bound(mem, st.Size())))
	if err != nil {
		return corrupt(path, "", "not a complete Arrow IPC file: %v", err)
	}
	defer r.Close()
	got := r.Schema()
	if len(got.Fields()) != len(want.Fields()) {
		return corrupt(path, "schema", "%d columns, want %d (%s)", len(got.Fields()), len(want.Fields()), want)
	}
	for i, fw := range want.Fields() {
		fg := got.Field(i)
		if fg.Name != fw.Name || !arrow.TypeEqual(fg.Type, fw.Type) {
			return corrupt(path, fw.Name, "column %d is %s: %s, want %s: %s", i, fg.Name, fg.Type, fw.Name, fw.Type)
		}
	}
	if err := meta(got.Metadata()); err != nil {
		return err
	}
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.Record(i)
		if err != nil {
			return corrupt(path, "", "record batch %d: %v", i, err)
		}
		if rec.Column(0).NullN() > 0 {
			return corrupt(path, want.Field(0).Name, "record batch %d has nulls", i)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// metaValue returns the value of key in md, or a FileError naming it.
func metaValue(path string, md arrow.Metadata, key string) (string, error) {
	v, ok := md.GetValue(key)
	if !ok {
		return "", corrupt(path, key, "schema metadata lacks %s", key)
	}
	return v, nil
}
