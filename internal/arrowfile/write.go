package arrowfile

import (
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/fsutil"
)

// Written describes a file Write wrote.
type Written struct {
	Bytes  int64
	SHA256 string // lowercase hex
}

// Write writes the record batches emit passes to write as one Arrow IPC file
// at path with schema, atomically (fsutil.WriteAtomic: the file appears
// complete under its name or not at all), zstd-compressed when compress is
// set. emit releases each record it passes to write. Errors name the file.
func Write(path string, schema *arrow.Schema, mem memory.Allocator, compress bool, emit func(write func(arrow.Record) error) error) (Written, error) {
	err := fsutil.WriteAtomic(path, 0o644, func(w io.Writer) error {
		ws, ok := w.(io.WriteSeeker)
		if !ok {
			return fmt.Errorf("%s: writer cannot seek", path)
		}
		opts := []ipc.Option{ipc.WithSchema(schema), ipc.WithAllocator(mem)}
		if compress {
			opts = append(opts, ipc.WithZstd())
		}
		fw, err := ipc.NewFileWriter(ws, opts...)
		if err != nil {
			return fmt.Errorf("create arrow writer for %s: %w", path, err)
		}
		err = emit(func(rec arrow.Record) error {
			if err := fw.Write(rec); err != nil {
				return fmt.Errorf("write record batch to %s: %w", path, err)
			}
			return nil
		})
		if err != nil {
			fw.Close()
			return err
		}
		if err := fw.Close(); err != nil {
			return fmt.Errorf("close arrow file %s: %w", path, err)
		}
		return nil
	})
	if err != nil {
		return Written{}, err
	}
	sum, err := fsutil.SHA256File(path)
	if err != nil {
		return Written{}, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return Written{}, err
	}
	return Written{Bytes: st.Size(), SHA256: sum}, nil
}
