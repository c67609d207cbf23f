package labels

import (
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// ReadPart streams the rows of one Arrow label file to fn, in file order, and
// returns the file's provenance. A file that is truncated, not Arrow, or has a
// different schema is an error naming it. The Arrow reader panics on some
// malformed files (found by FuzzReadPart); those panics become errors too.
func ReadPart(path string, fn func(Row) error) (prov Provenance, err error) {
	defer func() {
		if r := recover(); r != nil {
			prov, err = nil, fmt.Errorf("labels: %s: malformed Arrow file: %v", path, r)
		}
	}()
	return readPart(path, fn)
}

func readPart(path string, fn func(Row) error) (Provenance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(mem))
	if err != nil {
		return nil, fmt.Errorf("labels: %s: not a complete Arrow IPC file: %w", path, err)
	}
	defer r.Close()
	if err := checkSchema(path, r.Schema()); err != nil {
		return nil, err
	}
	prov := provenanceOf(r.Schema())
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.Record(i)
		if err != nil {
			return nil, fmt.Errorf("labels: %s: record batch %d: %w", path, i, err)
		}
		qs := rec.Column(0).(*array.String)
		ds := rec.Column(1).(*array.List)
		dv := ds.ListValues().(*array.String)
		ss := rec.Column(2).(*array.List)
		sv := ss.ListValues().(*array.Float32)
		for j := 0; j < int(rec.NumRows()); j++ {
			if qs.IsNull(j) || ds.IsNull(j) || ss.IsNull(j) {
				return nil, fmt.Errorf("labels: %s: record batch %d row %d: null value", path, i, j)
			}
			d0, d1 := ds.ValueOffsets(j)
			s0, s1 := ss.ValueOffsets(j)
			row := Row{QueryID: qs.Value(j), DocumentIDs: make([]string, d1-d0), Scores: make([]float32, s1-s0)}
			for k := d0; k < d1; k++ {
				row.DocumentIDs[k-d0] = dv.Value(int(k))
			}
			copy(row.Scores, sv.Float32Values()[s0:s1])
			if err := row.Validate(); err != nil {
				return nil, fmt.Errorf("labels: %s: record batch %d row %d: %w", path, i, j, err)
			}
			if err := fn(row); err != nil {
				return nil, err
			}
		}
	}
	return prov, nil
}
