package report

import (
	"errors"
	"fmt"
)

// ErrNoSystems is returned by Compare when it is given no system.
var ErrNoSystems = errors.New("report: no systems to compare")

// ErrDuplicateName is returned by Compare when two systems share a name,
// which would make the table ambiguous.
var ErrDuplicateName = errors.New("report: duplicate system name")

// ErrEmptyName is returned by Compare when a system has no name.
var ErrEmptyName = errors.New("report: system without a name")

// ErrInvalidOption is returned by Compare when an Options field is out of range.
var ErrInvalidOption = errors.New("report: invalid option")

// ErrBadLogLine is returned when a training log line is not a JSON object.
var ErrBadLogLine = errors.New("report: training log line is not a JSON object")

// SystemError reports a failure while measuring one system.
type SystemError struct {
	System string // System.Name
	Op     string // what was being done: "evaluate", "read training log", ...
	Err    error
}

func (e *SystemError) Error() string {
	return fmt.Sprintf("report: system %q: %s: %v", e.System, e.Op, e.Err)
}

func (e *SystemError) Unwrap() error { return e.Err }

// OptionError reports an Options field with an out-of-range value.
type OptionError struct {
	Field string // Options field name
	Value any    // the bad value
	Want  string // the accepted range
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%v %s (got=%v, want=%s)", ErrInvalidOption, e.Field, e.Value, e.Want)
}

func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// LogError reports a training log line that could not be parsed.
type LogError struct {
	Path string // the log file
	Line int    // 1-based line number
	Err  error  // ErrBadLogLine wrapping the JSON error
}

func (e *LogError) Error() string {
	return fmt.Sprintf("report: parse error in %s on line %d: %v", e.Path, e.Line, e.Err)
}

func (e *LogError) Unwrap() error { return e.Err }
