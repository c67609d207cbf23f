package retrieval

import (
	"errors"
	"fmt"
)

// ErrNoManifest is returned when a folder has no manifest.json: nothing was
// saved there, or a save did not finish.
var ErrNoManifest = errors.New("retrieval: no manifest.json")

// ErrCorrupt is wrapped by a FileError when a saved file is missing,
// truncated, altered, or disagrees with the manifest.
var ErrCorrupt = errors.New("retrieval: corrupt index")

// ErrDuplicateDoc is returned when a document id is added twice; the index
// is left unchanged.
var ErrDuplicateDoc = errors.New("retrieval: duplicate document id")

// InputError reports an invalid vector or embedding matrix passed in by the
// caller.
type InputError struct {
	DocID  string // the document ("" for a query)
	Field  string // "terms", "weights", "vectors", "dim", ...
	Index  int    // position of the bad value, -1 when not about one value
	Reason string
}

func (e *InputError) Error() string {
	what := "query"
	if e.DocID != "" {
		what = fmt.Sprintf("document %q", e.DocID)
	}
	if e.Index >= 0 {
		return fmt.Sprintf("retrieval: %s: %s[%d]: %s", what, e.Field, e.Index, e.Reason)
	}
	return fmt.Sprintf("retrieval: %s: %s: %s", what, e.Field, e.Reason)
}

// FileError reports a saved file that cannot be used: File is its path and
// Field the manifest field, column or metadata key at fault.
type FileError struct {
	File  string
	Field string
	Err   error
}

func (e *FileError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("retrieval: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("retrieval: %s: %s: %v", e.File, e.Field, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// corrupt returns a FileError wrapping ErrCorrupt.
func corrupt(file, field, format string, args ...any) error {
	return &FileError{File: file, Field: field, Err: corruptError(fmt.Sprintf(format, args...))}
}

// corruptError is ErrCorrupt with the details, without repeating the
// package prefix inside a FileError's message.
type corruptError string

func (e corruptError) Error() string        { return "corrupt: " + string(e) }
func (e corruptError) Is(target error) bool { return target == ErrCorrupt }
