package labels

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/arrowfile"
)

// Reader reads the rows of one Arrow label file record batch by record
// batch, in the manner of arrow-go's ipc.Reader:
//
//	r, err := labels.OpenPart(path, labels.WithAllocator(mem))
//	if err != nil { ... }
//	defer r.Release()
//	for r.Next() {
//		rows := r.Rows() // or r.Record(), valid until the next Next
//	}
//	if err := r.Err(); err != nil { ... }
//
// Next checks each batch before delivering it (no null values, one finite
// score per document) and checks the rows' content checksum, recorded in the
// file's metadata, before it delivers the last batch: the rows of a file
// are known intact only once Next has returned false and Err is nil. A file
// of one batch (up to 4,096 queries, every file distill writes for a chunk)
// that fails the checksum delivers nothing.
//
// The file is read through package arrowfile: lengths in the file are
// checked against its size before anything is allocated, and the panics the
// Arrow reader raises on some malformed files (found by FuzzReadPart) become
// errors naming the file.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	name   string
	ar     *arrowfile.Reader
	prov   Provenance
	want   string // the content checksum the file records
	hashed bool   // the file records one (files before it existed do not)
	sum    *contentHash
	done   bool
	rows   []Row
	err    error
}

// Option configures a Reader.
type Option func(*readerConfig)

type readerConfig struct {
	mem memory.Allocator
}

// WithAllocator makes the Reader allocate the file's buffers from mem
// (default memory.DefaultAllocator). Every byte is freed by the time
// Release returns.
func WithAllocator(mem memory.Allocator) Option {
	return func(c *readerConfig) { c.mem = mem }
}

func config(opts []Option) readerConfig {
	cfg := readerConfig{mem: memory.DefaultAllocator}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// OpenPart opens the label file at path. The Reader closes the file on
// Release.
func OpenPart(path string, opts ...Option) (*Reader, error) {
	ar, err := arrowfile.Open(path, Schema(nil), config(opts).mem)
	if err != nil {
		return nil, openError(path, err)
	}
	return newReader(path, ar)
}

// NewReader returns a Reader of the label file held by f, of size bytes,
// named name in errors. It reads the footer and checks the schema; the rows
// are read by Next.
func NewReader(f ipc.ReadAtSeeker, size int64, name string, opts ...Option) (*Reader, error) {
	ar, err := arrowfile.NewReader(f, size, Schema(nil), config(opts).mem)
	if err != nil {
		return nil, openError(name, err)
	}
	return newReader(name, ar)
}

func openError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("labels: %w", err)
	}
	var ce *arrowfile.ColumnsError
	if errors.As(err, &ce) && ce.Column < 0 {
		return fmt.Errorf("labels: %s: schema has %w", name, err)
	}
	return fmt.Errorf("labels: %s: %w", name, err)
}

func newReader(name string, ar *arrowfile.Reader) (*Reader, error) {
	s := ar.Schema()
	if v, ok := s.Metadata().GetValue(KeyVersion); ok && v != SchemaVersion {
		ar.Release()
		return nil, fmt.Errorf("labels: %s: layout version %q, this distill reads version %s", name, v, SchemaVersion)
	}
	r := &Reader{name: name, ar: ar, prov: provenanceOf(s), sum: newContentHash()}
	r.want, r.hashed = s.Metadata().GetValue(KeyContentSHA256)
	return r, nil
}

// Provenance returns the file's schema metadata, its content checksum left
// out.
func (r *Reader) Provenance() Provenance { return r.prov }

// Schema returns the file's Arrow schema.
func (r *Reader) Schema() *arrow.Schema { return r.ar.Schema() }

// Next reads the next record batch and reports whether there is one. It
// returns false at the end of the file and on the first problem, which Err
// then returns.
func (r *Reader) Next() bool {
	r.rows = nil
	if r.err != nil || r.done {
		return false
	}
	if !r.ar.Next() {
		r.done = true
		if r.err = r.ar.Err(); r.err != nil {
			r.err = fmt.Errorf("labels: %s: %w", r.name, r.err)
		} else {
			r.err = r.checkContent()
		}
		return false
	}
	rows, err := r.decode()
	if err == nil && r.ar.Batch()+1 == r.ar.NumRecords() {
		r.done = true
		err = r.checkContent()
	}
	if err != nil {
		r.err = err
		r.ar.Release()
		return false
	}
	r.rows = rows
	return true
}

// decode copies the rows of the current batch out of its record, checking
// each, and adds them to the content checksum.
func (r *Reader) decode() (rows []Row, err error) {
	i, rec := r.ar.Batch(), r.ar.Record()
	err = r.ar.Decode(func() error {
		qs := rec.Column(0).(*array.String)
		ds := rec.Column(1).(*array.List)
		dv := ds.ListValues().(*array.String)
		ss := rec.Column(2).(*array.List)
		sv := ss.ListValues().(*array.Float32)
		rows = make([]Row, rec.NumRows())
		for j := range rows {
			if qs.IsNull(j) || ds.IsNull(j) || ss.IsNull(j) {
				return fmt.Errorf("record batch %d row %d: null value", i, j)
			}
			d0, d1 := ds.ValueOffsets(j)
			s0, s1 := ss.ValueOffsets(j)
			row := Row{QueryID: qs.Value(j), DocumentIDs: make([]string, d1-d0), Scores: make([]float32, s1-s0)}
			for k := d0; k < d1; k++ {
				row.DocumentIDs[k-d0] = dv.Value(int(k))
			}
			copy(row.Scores, sv.Float32Values()[s0:s1])
			if err := row.Validate(); err != nil {
				return fmt.Errorf("record batch %d row %d: %w", i, j, err)
			}
			r.sum.add(row)
			rows[j] = row
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("labels: %s: %w", r.name, err)
	}
	return rows, nil
}

// checkContent compares the checksum of every row read with the one the
// file records.
func (r *Reader) checkContent() error {
	if !r.hashed {
		return nil
	}
	if got := r.sum.hex(); got != r.want {
		return fmt.Errorf("labels: %s: the rows hash to %s…, the file's %s records %s…: the file is damaged",
			r.name, got[:12], KeyContentSHA256, r.want[:min(12, len(r.want))])
	}
	return nil
}

// Record returns the current record batch. It is valid until the next call
// to Next or Release; Retain it to keep it longer.
func (r *Reader) Record() arrow.Record { return r.ar.Record() }

// Rows returns the rows of the current record batch, checked. They are Go
// copies and stay valid after Next and Release.
func (r *Reader) Rows() []Row { return r.rows }

// Err returns the first problem Next met, or nil.
func (r *Reader) Err() error { return r.err }

// Release frees the current record batch and the Arrow reader's buffers and
// closes the file OpenPart opened. It may be called more than once.
func (r *Reader) Release() { r.ar.Release() }

// ReadPart returns every row of one Arrow label file, in file order, and
// its provenance, once the whole file has checked out (see Reader). A file
// that is truncated, not Arrow, has a different schema, holds a non-finite
// score, or whose rows do not hash to the content checksum recorded in its
// metadata is an error naming it (and the row), and returns no rows.
func ReadPart(path string, opts ...Option) ([]Row, Provenance, error) {
	r, err := OpenPart(path, opts...)
	if err != nil {
		return nil, nil, err
	}
	defer r.Release()
	return r.readAll()
}

// readAll reads the rest of the file.
func (r *Reader) readAll() ([]Row, Provenance, error) {
	var rows []Row
	for r.Next() {
		rows = append(rows, r.Rows()...)
	}
	if err := r.Err(); err != nil {
		return nil, nil, err
	}
	return rows, r.Provenance(), nil
}
