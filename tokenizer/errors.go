package tokenizer

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped by the errors Load, LoadVocab and Parse return.
// Test for them with errors.Is.
var (
	// ErrUnsupported reports a tokenizer.json component (model, normalizer,
	// pre-tokenizer, post-processor, added token option) this package does not
	// implement. The *UnsupportedError that wraps it says what was found.
	ErrUnsupported = errors.New("not supported")
	// ErrInvalid reports a file that is malformed or inconsistent: bad JSON,
	// an empty vocabulary, an unknown token named by a setting, ...
	ErrInvalid = errors.New("invalid tokenizer file")
)

// UnsupportedError names a component of tokenizer.json that has no
// implementation here, what was found and what is supported:
//
//	model type "BPE" is not supported (supported: WordPiece, as in BERT models)
type UnsupportedError struct {
	Component string // "model type", "normalizer", "pre_tokenizer", ...
	Found     string // the value found in the file
	Supported string // what this package accepts instead
}

// Error formats the error as `<component> "<found>" is not supported (supported: <supported>)`.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s %q is not supported (supported: %s)", e.Component, e.Found, e.Supported)
}

// Unwrap returns ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// FileError is a failure to load one file; Err says why.
type FileError struct {
	Path string
	Err  error
}

// Error formats the error as `tokenizer: <path>: <err>`.
func (e *FileError) Error() string { return fmt.Sprintf("tokenizer: %s: %v", e.Path, e.Err) }

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// invalidf builds an error wrapping ErrInvalid.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
