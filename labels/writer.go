package labels

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/arrowfile"
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
	w, err := writeArrowPart(path, rows, Schema(withSum))
	if err != nil {
		return FileEntry{}, err
	}
	return FileEntry{Rows: len(rows), Pairs: countPairs(rows), SHA256: w.SHA256, Bytes: w.Bytes}, nil
}

// writeArrowPart writes rows under schema as one Arrow IPC file (zstd) at
// path, atomically, in record batches of at most maxBatchRows rows.
func writeArrowPart(path string, rows []Row, schema *arrow.Schema) (arrowfile.Written, error) {
	mem := memory.NewGoAllocator()
	w, err := arrowfile.Write(path, schema, mem, true, func(write func(arrow.Record) error) error {
		for start := 0; start < len(rows) || start == 0; start += maxBatchRows {
			rec := buildRecord(mem, schema, rows[start:min(start+maxBatchRows, len(rows))])
			err := write(rec)
			rec.Release()
			if err != nil || len(rows) == 0 {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return w, fmt.Errorf("labels: %w", err)
	}
	return w, nil
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
