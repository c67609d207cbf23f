package labels

import (
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"

	"github.com/distill-ml/distill/internal/arrowguard"
)

// ReadPart streams the rows of one Arrow label file to fn, in file order, and
// returns the file's provenance. A file that is truncated, not Arrow, has a
// different schema, holds a non-finite score, or whose rows do not hash to
// the content checksum recorded in its metadata is an error naming it (and
// the row); rows reach fn only once the whole file has checked out, so a
// damaged file delivers nothing. Lengths in the file are checked against
// its size before anything is allocated (package arrowguard), and the
// panics the Arrow reader raises on some malformed files (found by
// FuzzReadPart) become errors too.
func ReadPart(path string, fn func(Row) error) (prov Provenance, err error) {
	rows, prov, err := readPartRows(path)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if err := fn(r); err != nil {
			return nil, err
		}
	}
	return prov, nil
}

func readPartRows(path string) ([]Row, Provenance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("labels: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("labels: %w", err)
	}
	return decodePart(path, f, st.Size())
}

// decodePart reads the label file named path from r, of size bytes.
func decodePart(path string, r ipc.ReadAtSeeker, size int64) (rows []Row, prov Provenance, err error) {
	defer func() {
		if r := recover(); r != nil {
			rows, prov = nil, nil
			if e, ok := r.(error); ok && errors.Is(e, arrowguard.ErrTooLarge) {
				err = fmt.Errorf("labels: %s: damaged Arrow file: %w", path, e)
				return
			}
			err = fmt.Errorf("labels: %s: malformed Arrow file: %v", path, r)
		}
	}()
	return readPart(path, r, size)
}

func readPart(path string, f ipc.ReadAtSeeker, size int64) ([]Row, Provenance, error) {
	if err := arrowguard.CheckFooter(f, size); err != nil {
		return nil, nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(arrowguard.NewAllocator(size)))
	if err != nil {
		return nil, nil, fmt.Errorf("labels: %s: not a complete Arrow IPC file: %w", path, err)
	}
	defer r.Close()
	if err := checkSchema(path, r.Schema()); err != nil {
		return nil, nil, err
	}
	prov := provenanceOf(r.Schema())
	want, hashed := r.Schema().Metadata().GetValue(KeyContentSHA256)
	var rows []Row
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.Record(i)
		if err != nil {
			return nil, nil, fmt.Errorf("labels: %s: record batch %d: %w", path, i, err)
		}
		qs := rec.Column(0).(*array.String)
		ds := rec.Column(1).(*array.List)
		dv := ds.ListValues().(*array.String)
		ss := rec.Column(2).(*array.List)
		sv := ss.ListValues().(*array.Float32)
		for j := 0; j < int(rec.NumRows()); j++ {
			if qs.IsNull(j) || ds.IsNull(j) || ss.IsNull(j) {
				return nil, nil, fmt.Errorf("labels: %s: record batch %d row %d: null value", path, i, j)
			}
			d0, d1 := ds.ValueOffsets(j)
			s0, s1 := ss.ValueOffsets(j)
			row := Row{QueryID: qs.Value(j), DocumentIDs: make([]string, d1-d0), Scores: make([]float32, s1-s0)}
			for k := d0; k < d1; k++ {
				row.DocumentIDs[k-d0] = dv.Value(int(k))
			}
			copy(row.Scores, sv.Float32Values()[s0:s1])
			if err := row.Validate(); err != nil {
				return nil, nil, fmt.Errorf("labels: %s: record batch %d row %d: %w", path, i, j, err)
			}
			rows = append(rows, row)
		}
	}
	if hashed {
		if got := contentSHA256(rows); got != want {
			return nil, nil, fmt.Errorf("labels: %s: the rows hash to %s…, the file's %s records %s…: the file is damaged",
				path, got[:12], KeyContentSHA256, want[:min(12, len(want))])
		}
	}
	return rows, prov, nil
}
