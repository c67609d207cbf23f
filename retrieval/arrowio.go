package retrieval

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/arrowfile"
)

// maxBatchValues bounds the list values per Arrow record batch, keeping list
// offsets (int32) far from overflow and batches small enough to stream.
const maxBatchValues = 1 << 22

// writeArrowFile writes the records produced by emit as one Arrow IPC file
// at path (arrowfile.Write) and returns its entry (the path as given).
func writeArrowFile(path string, schema *arrow.Schema, mem memory.Allocator, compress bool, emit func(write func(arrow.Record) error) error) (fileEntry, error) {
	w, err := arrowfile.Write(path, schema, mem, compress, emit)
	if err != nil {
		return fileEntry{}, fmt.Errorf("retrieval: %w", err)
	}
	return fileEntry{Path: path, Bytes: w.Bytes, SHA256: w.SHA256}, nil
}

// readArrowFile reads the file at path (arrowfile.Open), whose columns must
// be those of want, and calls meta with its schema metadata and then fn
// with each record batch in order. A record is valid only during its call.
// Every problem of the file is a FileError naming it.
func readArrowFile(path string, want *arrow.Schema, mem memory.Allocator, meta func(arrow.Metadata) error, fn func(arrow.Record) error) error {
	r, err := arrowfile.Open(path, want, mem)
	if err != nil {
		var ce *arrowfile.ColumnsError
		switch {
		case errors.As(err, &ce) && ce.Column < 0:
			return corrupt(path, "schema", "%v", err)
		case errors.As(err, &ce):
			return corrupt(path, want.Field(ce.Column).Name, "%v", err)
		}
		return corrupt(path, "", "%v", err)
	}
	defer r.Release()
	if err := meta(r.Schema().Metadata()); err != nil {
		return err
	}
	for r.Next() {
		// Both run under Decode: counting the nulls of a damaged record
		// (an unknown null count without a bitmap) panics too.
		var nulls bool
		var fnErr error
		err := r.Decode(func() error {
			if nulls = r.Record().Column(0).NullN() > 0; nulls {
				return nil
			}
			fnErr = fn(r.Record())
			return fnErr
		})
		switch {
		case nulls:
			return corrupt(path, want.Field(0).Name, "record batch %d has nulls", r.Batch())
		case fnErr != nil:
			return fnErr
		case err != nil: // a panic reading a damaged record
			return corrupt(path, "", "%v", err)
		}
	}
	if err := r.Err(); err != nil {
		return corrupt(path, "", "%v", err)
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
