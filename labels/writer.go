package labels

import (
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/fsutil"
)

// maxBatchRows bounds the rows per Arrow record batch, so a reader can stream
// a large file without holding all of it.
const maxBatchRows = 4096

// WritePart writes rows as one Arrow IPC file (zstd) at path, atomically: the
// file appears complete under its name or not at all. It returns the file's
// sha256 and the number of (query, document) pairs written.
func WritePart(path string, rows []Row, prov Provenance) (FileEntry, error) {
	for _, r := range rows {
		if err := r.Validate(); err != nil {
			return FileEntry{}, fmt.Errorf("labels: write %s: %w", path, err)
		}
	}
	withSum := Provenance{KeyContentSHA256: contentSHA256(rows)}
	for k, v := range prov {
		if !keys[k] {
			return FileEntry{}, fmt.Errorf("labels: write %s: metadata key %q is not one of the keys schema.go defines", path, k)
		}
		if k != KeyContentSHA256 {
			withSum[k] = v
		}
	}
	if err := writeArrowPart(path, rows, Schema(withSum)); err != nil {
		return FileEntry{}, err
	}
	sum, err := fsutil.SHA256File(path)
	if err != nil {
		return FileEntry{}, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return FileEntry{}, err
	}
	return FileEntry{Rows: len(rows), Pairs: countPairs(rows), SHA256: sum, Bytes: st.Size()}, nil
}

// writeArrowPart writes rows under schema as one Arrow IPC file (zstd) at
// path, atomically, in record batches of at most maxBatchRows rows.
func writeArrowPart(path string, rows []Row, schema *arrow.Schema) error {
	mem := memory.NewGoAllocator()
	return fsutil.WriteAtomic(path, 0o644, func(w io.Writer) error {
		ws, ok := w.(io.WriteSeeker)
		if !ok {
			return fmt.Errorf("labels: %s: writer cannot seek", path)
		}
		fw, err := ipc.NewFileWriter(ws, ipc.WithSchema(schema), ipc.WithAllocator(mem), ipc.WithZstd())
		if err != nil {
			return fmt.Errorf("labels: create arrow writer for %s: %w", path, err)
		}
		for start := 0; start < len(rows) || start == 0; start += maxBatchRows {
			end := min(start+maxBatchRows, len(rows))
			rec := buildRecord(mem, schema, rows[start:end])
			err := fw.Write(rec)
			rec.Release()
			if err != nil {
				return fmt.Errorf("labels: write record batch to %s: %w", path, err)
			}
			if len(rows) == 0 {
				break
			}
		}
		if err := fw.Close(); err != nil {
			return fmt.Errorf("labels: close arrow file %s: %w", path, err)
		}
		return nil
	})
}

func buildRecord(mem memory.Allocator, schema *arrow.Schema, rows []Row) arrow.Record {
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	qb := b.Field(0).(*array.StringBuilder)
	db := b.Field(1).(*array.ListBuilder)
	dvb := db.ValueBuilder().(*array.StringBuilder)
	sb := b.Field(2).(*array.ListBuilder)
	svb := sb.ValueBuilder().(*array.Float32Builder)
	for _, r := range rows {
		qb.Append(r.QueryID)
		db.Append(true)
		dvb.AppendValues(r.DocumentIDs, nil)
		sb.Append(true)
		svb.AppendValues(r.Scores, nil)
	}
	return b.NewRecord()
}
