package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxLineSize is the longest line the readers accept (64 MiB). Longer lines
// are reported as a ParseError rather than read into memory without bound.
const MaxLineSize = 64 << 20

// lineLimit is MaxLineSize, lowered by tests.
var lineLimit = MaxLineSize

// lineReader yields the lines of a file one at a time with their 1-based
// numbers. A trailing "\r" (CRLF files) and a leading UTF-8 byte-order mark are
// removed. A line is valid only until the next call to next.
type lineReader struct {
	sc   *bufio.Scanner
	file string
	line int
}

func newLineReader(r io.Reader, file string) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, min(64<<10, lineLimit)), lineLimit)
	return &lineReader{sc: sc, file: file}
}

// next returns the next line, or false at the end of input or on error.
func (r *lineReader) next() ([]byte, bool) {
	if !r.sc.Scan() {
		return nil, false
	}
	r.line++
	b := r.sc.Bytes()
	if r.line == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	}
	return b, true
}

// err returns the error that stopped next, naming the line it happened on.
func (r *lineReader) err() error {
	err := r.sc.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, bufio.ErrTooLong) {
		return parseErr(r.file, r.line+1, "", fmt.Errorf("line longer than %d bytes", lineLimit))
	}
	return fmt.Errorf("datasets: read %s after line %d: %w", r.file, r.line, err)
}

// eachLine calls fn with every line that is not blank, in order, and
// returns the first error of fn or of reading.
func (r *lineReader) eachLine(fn func(b []byte) error) error {
	for {
		b, ok := r.next()
		if !ok {
			return r.err()
		}
		if isBlank(b) {
			continue
		}
		if err := fn(b); err != nil {
			return err
		}
	}
}

// isBlank reports whether a line holds only white space.
func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// openFile opens path for reading, transparently decompressing a ".gz" file.
func openFile(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("datasets: %s: %w", path, err)
	}
	return gzipFile{zr, f}, nil
}

// gzipFile closes both the decompressor and the file under it.
type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g gzipFile) Close() error {
	err := g.Reader.Close()
	if ferr := g.f.Close(); err == nil {
		err = ferr
	}
	return err
}

// withLines opens path and calls fn with a lineReader over it.
func withLines(path string, fn func(*lineReader) error) error {
	rc, err := openFile(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	return fn(newLineReader(rc, path))
}
