package losses

import (
	"errors"
	"fmt"
)

// ErrEmptyBatch is returned when a loss is given zero examples: a mean over an
// empty batch is undefined.
var ErrEmptyBatch = errors.New("losses: empty batch")

// ShapeError reports an input whose shape is not the one the loss expects.
type ShapeError struct {
	Loss  string // the loss being built, e.g. "MarginMSE"
	Input string // the argument, e.g. "sNeg"
	Got   []int  // the shape that arrived
	Want  string // what was expected, e.g. "(4)" or "(B, n) with B ≥ 1"
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("losses: %s: %s has shape %v, want %s", e.Loss, e.Input, e.Got, e.Want)
}

// DtypeError reports a node whose dtype is neither Float32 nor Float64, or
// differs from the student scores' dtype.
type DtypeError struct {
	Loss  string
	Input string
	Got   string
	Want  string
}

func (e *DtypeError) Error() string {
	return fmt.Sprintf("losses: %s: %s has dtype %s, want %s", e.Loss, e.Input, e.Got, e.Want)
}

// ParamError reports an invalid hyper-parameter such as a non-positive
// temperature.
type ParamError struct {
	Loss  string
	Param string
	Value float64
	Want  string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("losses: %s: %s = %v, want %s", e.Loss, e.Param, e.Value, e.Want)
}
