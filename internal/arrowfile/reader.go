package arrowfile

import (
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Reader reads an Arrow IPC file one record batch at a time:
//
//	r, err := arrowfile.Open(path, want, mem)
//	if err != nil { ... }
//	defer r.Release()
//	for r.Next() {
//		rec := r.Record() // valid until the next Next
//	}
//	if err := r.Err(); err != nil { ... }
//
// Errors do not name the file: the caller, who knows what the file is,
// does. A Reader is not safe for concurrent use.
type Reader struct {
	file   *os.File // closed by Release when Open opened it
	mem    *Allocator
	fr     *ipc.FileReader
	schema *arrow.Schema
	n      int // record batches (read once: the footer may be damaged)
	next   int
	rec    arrow.Record
	err    error
}

// Open opens the Arrow IPC file at path, whose columns must be those of want
// (names and types; metadata is the caller's to check), allocating from mem.
// The Reader closes the file on Release.
func Open(path string, want *arrow.Schema, mem memory.Allocator) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := NewReader(f, st.Size(), want, mem)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// NewReader returns a Reader of the Arrow IPC file held by f, of size bytes,
// whose columns must be those of want, allocating from mem. It reads the
// footer and the schema; the record batches are read by Next. An error
// about the columns is a *ColumnsError.
func NewReader(f ipc.ReadAtSeeker, size int64, want *arrow.Schema, mem memory.Allocator) (r *Reader, err error) {
	if err := CheckFooter(f, size); err != nil {
		return nil, err
	}
	r = &Reader{mem: Bound(mem, size)}
	defer func() {
		if p := recover(); p != nil {
			r.mem.Reclaim()
			r, err = nil, panicError(p)
		}
	}()
	fr, err := ipc.NewFileReader(f, ipc.WithAllocator(r.mem))
	if err != nil {
		return nil, fmt.Errorf("not a complete Arrow IPC file: %w", err)
	}
	if err := checkColumns(fr.Schema(), want); err != nil {
		fr.Close()
		return nil, err
	}
	r.fr, r.schema, r.n = fr, fr.Schema(), fr.NumRecords()
	return r, nil
}

// panicError turns a panic of Arrow's reader into an error.
func panicError(p any) error {
	if e, ok := p.(error); ok && errors.Is(e, ErrTooLarge) {
		return fmt.Errorf("damaged Arrow file: %w", e)
	}
	return fmt.Errorf("malformed Arrow file: %v", p)
}

// Schema returns the file's schema, metadata included.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// NumRecords returns the number of record batches in the file.
func (r *Reader) NumRecords() int { return r.n }

// Next reads the next record batch and reports whether there is one. It
// returns false at the end of the file and on the first problem, which Err
// then returns.
func (r *Reader) Next() bool {
	r.releaseRecord()
	if r.err != nil || r.next == r.n {
		return false
	}
	r.err = r.Decode(func() error {
		rec, err := r.fr.RecordAt(r.next)
		if err != nil {
			return fmt.Errorf("record batch %d: %w", r.next, err)
		}
		r.rec = rec
		r.next++
		return nil
	})
	return r.err == nil
}

// Decode runs fn, which reads the current record batch, and returns its
// error. A panic in fn (an Arrow array built from a damaged file can panic
// when read) becomes the error; the record batch is released, the buffers
// the aborted read allocated are freed, and Next returns false from then on.
func (r *Reader) Decode(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.releaseRecord()
			r.mem.Reclaim()
			err = panicError(p)
			r.err = err
		}
	}()
	return fn()
}

// Record returns the current record batch. It is valid until the next call
// to Next or Release; Retain it to keep it longer.
func (r *Reader) Record() arrow.Record { return r.rec }

// Batch returns the index of the current record batch.
func (r *Reader) Batch() int { return r.next - 1 }

// Err returns the first problem Next met, or nil.
func (r *Reader) Err() error { return r.err }

// Release frees the current record batch and the Arrow reader, and closes
// the file Open opened. It may be called more than once.
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
		r.rec = nil
	}
}

// ColumnsError says how a file's columns differ from the wanted ones.
type ColumnsError struct {
	Got, Want *arrow.Schema
	Column    int // the first column that differs; -1 when their numbers do
}

func (e *ColumnsError) Error() string {
	if e.Column < 0 {
		return fmt.Sprintf("%d columns, want %d (%s)", len(e.Got.Fields()), len(e.Want.Fields()), e.Want)
	}
	g, w := e.Got.Field(e.Column), e.Want.Field(e.Column)
	return fmt.Sprintf("column %d is %s: %s, want %s: %s", e.Column, g.Name, g.Type, w.Name, w.Type)
}

// checkColumns returns a *ColumnsError unless got has the columns of want.
func checkColumns(got, want *arrow.Schema) error {
	if len(got.Fields()) != len(want.Fields()) {
		return &ColumnsError{Got: got, Want: want, Column: -1}
	}
	for i, w := range want.Fields() {
		if g := got.Field(i); g.Name != w.Name || !arrow.TypeEqual(g.Type, w.Type) {
			return &ColumnsError{Got: got, Want: want, Column: i}
		}
	}
	return nil
}
