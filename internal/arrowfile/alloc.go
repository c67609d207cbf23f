// Package arrowfile is distill's one layer over Arrow IPC files: Write
// writes one atomically (temp file, fsync, rename) and returns its size and
// sha256; Reader reads one record batch by record batch, in the manner of
// arrow-go's ipc.Reader, with its columns checked and its lengths checked
// against the file before Arrow's reader allocates anything from them, so a
// damaged file (a flipped bit in a length, a count or a compressed buffer's
// uncompressed size) is an error instead of an out-of-memory crash.
//
// Arrow's IPC reader trusts the file: it sizes Go slices by the vector
// lengths of the footer's flatbuffer (schema fields, their children, the
// metadata pairs) and allocates message bodies and decompressed buffers by
// the lengths recorded in the file. CheckFooter verifies the first kind
// against the footer's bytes; Allocator bounds the second by the file's
// size (a body can never be larger than the file, a decompressed buffer at
// most MaxRatio times larger). The panics Arrow's reader raises on some
// malformed files become errors, and the buffers such a read had allocated
// are freed.
package arrowfile

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// MaxRatio bounds how much larger than its file a decompressed buffer, and
// all of a reader's allocations together, may be. zstd reaches about 10× on
// label and embedding buffers; 256 leaves a wide margin.
const MaxRatio = 256

// slack is added to every bound, for small files and allocator rounding.
const slack = 4 << 20

// ErrTooLarge is the value the allocator panics with (wrapped in a
// *TooLargeError); readers recover it into an error naming the file.
var ErrTooLarge = errors.New("allocation larger than the file can hold")

// TooLargeError describes a refused allocation.
type TooLargeError struct {
	Size, Limit int64 // requested bytes, and the bound they broke
	Total       bool  // the bound on all allocations together
}

func (e *TooLargeError) Error() string {
	what := "one buffer"
	if e.Total {
		what = "all buffers together"
	}
	return fmt.Sprintf("%v: %d bytes requested, %s may take at most %d (a damaged length)", ErrTooLarge, e.Size, what, e.Limit)
}

func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// Allocator is a memory.Allocator with the bounds of one file. It panics
// with a *TooLargeError instead of allocating beyond them, and keeps track
// of the buffers it handed out, so that Reclaim can free those a panicking
// Arrow reader left behind. Not safe for concurrent use.
type Allocator struct {
	base       memory.Allocator
	one, total int64
	used       int64
	live       map[*byte][]byte
}

// Bound returns base with the bounds of a file of fileSize bytes.
func Bound(base memory.Allocator, fileSize int64) *Allocator {
	return &Allocator{base: base, one: MaxRatio*fileSize + slack, total: 4*MaxRatio*fileSize + slack, live: map[*byte][]byte{}}
}

func (a *Allocator) check(size, old int) {
	s := int64(size)
	if size < 0 || s > a.one {
		panic(&TooLargeError{Size: s, Limit: a.one})
	}
	if a.used+s-int64(old) > a.total {
		panic(&TooLargeError{Size: s, Limit: a.total, Total: true})
	}
	a.used += s - int64(old)
}

func (a *Allocator) track(b []byte) []byte {
	if len(b) > 0 {
		a.live[&b[0]] = b
	}
	return b
}

func (a *Allocator) untrack(b []byte) {
	if len(b) > 0 {
		delete(a.live, &b[0])
	}
}

// Allocate implements memory.Allocator.
func (a *Allocator) Allocate(size int) []byte {
	a.check(size, 0)
	return a.track(a.base.Allocate(size))
}

// Reallocate implements memory.Allocator.
func (a *Allocator) Reallocate(size int, b []byte) []byte {
	a.check(size, len(b))
	a.untrack(b)
	return a.track(a.base.Reallocate(size, b))
}

// Free implements memory.Allocator.
func (a *Allocator) Free(b []byte) {
	a.used -= int64(len(b))
	a.untrack(b)
	a.base.Free(b)
}

// Reclaim frees every buffer still allocated through a. Arrow's reader
// releases what it allocated when it returns an error, but not when it
// panics on a malformed file: a reader that recovers such a panic, once
// it has released every record it still holds, calls Reclaim to free the
// buffers of the aborted read, which nothing references any more.
func (a *Allocator) Reclaim() {
	for _, b := range a.live {
		a.Free(b)
	}
}
