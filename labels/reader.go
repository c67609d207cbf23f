package labels

import (
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/distill-ml/distill/internal/arrowguard"
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
// Lengths in the file are checked against its size before anything is
// allocated (package arrowguard), and the panics the Arrow reader raises on
// some malformed files (found by FuzzReadPart) become errors naming the file.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	name   string
	file   *os.File // closed by Release when OpenPart opened it
	mem    *arrowguard.Allocator
	fr     *ipc.FileReader
	prov   Provenance
	want   string // the content checksum the file records
	hashed bool   // the file records one (files before it existed do not)
	sum    contentHash
	next   int // the next record batch
	done   bool
	rec    arrow.Record
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

// OpenPart opens the label file at path. The Reader closes the file on
// Release.
func OpenPart(path string, opts ...Option) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("labels: %w", err)
	}
	r, err := NewReader(f, st.Size(), path, opts...)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// NewReader returns a Reader of the label file held by f, of size bytes,
// named name in errors. It reads the footer and checks the schema; the rows
// are read by Next.
func NewReader(f ipc.ReadAtSeeker, size int64, name string, opts ...Option) (r *Reader, err error) {
	cfg := readerConfig{mem: memory.DefaultAllocator}
	for _, o := range opts {
		o(&cfg)
	}
	if err := arrowguard.CheckFooter(f, size); err != nil {
		return nil, fmt.Errorf("labels: %s: %w", name, err)
	}
	r = &Reader{name: name, mem: arrowguard.Bound(cfg.mem, size), sum: newContentHash()}
	defer func() {
		if err != nil {
			r = nil
		}
	}()
	defer r.recoverInto(&err)
	fr, err := ipc.NewFileReader(f, ipc.WithAllocator(r.mem))
	if err != nil {
		return nil, fmt.Errorf("labels: %s: not a complete Arrow IPC file: %w", name, err)
	}
	if err := checkSchema(name, fr.Schema()); err != nil {
		fr.Close()
		return nil, err
	}
	r.fr = fr
	r.prov = provenanceOf(fr.Schema())
	r.want, r.hashed = fr.Schema().Metadata().GetValue(KeyContentSHA256)
	return r, nil
}

// recoverInto turns a panic of the Arrow reader into *err, naming the file,
// and frees the buffers the aborted read left allocated (the Reader holds
// no record while it reads one).
func (r *Reader) recoverInto(err *error) {
	p := recover()
	if p == nil {
		return
	}
	r.mem.Reclaim()
	if e, ok := p.(error); ok && errors.Is(e, arrowguard.ErrTooLarge) {
		*err = fmt.Errorf("labels: %s: damaged Arrow file: %w", r.name, e)
		return
	}
	*err = fmt.Errorf("labels: %s: malformed Arrow file: %v", r.name, p)
}

// Provenance returns the file's schema metadata, its content checksum left
// out.
func (r *Reader) Provenance() Provenance { return r.prov }

// Schema returns the file's Arrow schema.
func (r *Reader) Schema() *arrow.Schema { return r.fr.Schema() }

// Next reads the next record batch and reports whether there is one. It
// returns false at the end of the file and on the first problem, which Err
// then returns.
func (r *Reader) Next() bool {
	r.releaseRecord()
	if r.err != nil || r.done {
		return false
	}
	r.err = r.advance()
	return r.err == nil && r.rec != nil
}

// advance reads batch r.next into r.rec and r.rows, or ends the file.
func (r *Reader) advance() (err error) {
	defer r.recoverInto(&err)
	if r.next == r.fr.NumRecords() {
		r.done = true
		return r.checkContent()
	}
	i := r.next
	rec, err := r.fr.RecordAt(i)
	if err != nil {
		return fmt.Errorf("labels: %s: record batch %d: %w", r.name, i, err)
	}
	rows, err := r.decode(i, rec)
	if err == nil && i+1 == r.fr.NumRecords() {
		r.done = true
		err = r.checkContent()
	}
	if err != nil {
		rec.Release()
		return err
	}
	r.next++
	r.rec, r.rows = rec, rows
	return nil
}

// decode copies the rows of batch i out of rec, checking each, and adds
// them to the content checksum.
func (r *Reader) decode(i int, rec arrow.Record) ([]Row, error) {
	qs := rec.Column(0).(*array.String)
	ds := rec.Column(1).(*array.List)
	dv := ds.ListValues().(*array.String)
	ss := rec.Column(2).(*array.List)
	sv := ss.ListValues().(*array.Float32)
	rows := make([]Row, rec.NumRows())
	for j := range rows {
		if qs.IsNull(j) || ds.IsNull(j) || ss.IsNull(j) {
			return nil, fmt.Errorf("labels: %s: record batch %d row %d: null value", r.name, i, j)
		}
		d0, d1 := ds.ValueOffsets(j)
		s0, s1 := ss.ValueOffsets(j)
		row := Row{QueryID: qs.Value(j), DocumentIDs: make([]string, d1-d0), Scores: make([]float32, s1-s0)}
		for k := d0; k < d1; k++ {
			row.DocumentIDs[k-d0] = dv.Value(int(k))
		}
		copy(row.Scores, sv.Float32Values()[s0:s1])
		if err := row.Validate(); err != nil {
			return nil, fmt.Errorf("labels: %s: record batch %d row %d: %w", r.name, i, j, err)
		}
		r.sum.add(row)
		rows[j] = row
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
func (r *Reader) Record() arrow.Record { return r.rec }

// Rows returns the rows of the current record batch, checked. They are Go
// copies and stay valid after Next and Release.
func (r *Reader) Rows() []Row { return r.rows }

// Err returns the first problem Next met, or nil.
func (r *Reader) Err() error { return r.err }

// Release frees the current record batch and the Arrow reader's buffers and
// closes the file OpenPart opened. It may be called more than once.
func (r *Reader) Release() {
	r.releaseRecord()
	if r.fr != nil {
		r.fr.Close()
		r.fr = nil
	}
	if r.file != nil {
		r.file.Close()
		r.file = nil
	}
}

func (r *Reader) releaseRecord() {
	if r.rec != nil {
		r.rec.Release()
		r.rec, r.rows = nil, nil
	}
}

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
