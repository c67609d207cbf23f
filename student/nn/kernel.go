package nn

import (
	"errors"
	"fmt"

	"gorgonia.org/tensor"
)

// ErrNoForward is returned by Backward when no training Forward preceded it.
var ErrNoForward = errors.New("nn: backward called without a training forward pass")

// A Kernel is a fused differentiable operation on float32 tensors (integer
// tensors for token ids). Kernels are not safe for concurrent use: a kernel
// instance belongs to one node of one graph, or to one inference call.
type Kernel interface {
	// Name names the operation, e.g. "LayerNorm".
	Name() string
	// OutShape checks the input shapes and returns the output shape.
	OutShape(in []tensor.Shape) (tensor.Shape, error)
	// DiffWRT reports, for each input, whether Backward returns its gradient.
	DiffWRT() []bool
	// Forward computes the output. With train set the kernel keeps what
	// Backward needs; the returned tensor is freshly allocated.
	Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error)
	// Backward returns the gradients of all inputs (nil where DiffWRT is
	// false) given the inputs, the output and the output's gradient. It
	// follows a Forward with train set on the same inputs.
	Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error)
}

// ShapeError reports an input whose shape does not fit a kernel.
type ShapeError struct {
	Op    string       // kernel name
	Input string       // which input
	Got   tensor.Shape // shape received
	Want  string       // what was expected
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("nn: %s: input %s has shape %v, want %s", e.Op, e.Input, e.Got, e.Want)
}

// f32 returns the float32 backing slice of a dense tensor, materialising
// views. It reads the slice with Float32s: Dense.Data builds it through
// reflect, two allocations a call, thousands a training step.
func f32(t *tensor.Dense) []float32 {
	if t.IsMaterializable() {
		t = t.Materialize().(*tensor.Dense)
	}
	if t.Dtype() != tensor.Float32 {
		panic(fmt.Sprintf("nn: want a float32 tensor, got %v", t.Dtype()))
	}
	return t.Float32s()
}

// ints returns the int backing slice of a dense tensor.
func ints(t *tensor.Dense) ([]int, error) {
	if t.IsMaterializable() {
		t = t.Materialize().(*tensor.Dense)
	}
	if t.Dtype() != tensor.Int {
		return nil, fmt.Errorf("nn: want an int tensor, got %v", t.Dtype())
	}
	return t.Ints(), nil
}

// newF32 allocates a zeroed float32 tensor.
func newF32(shape ...int) (*tensor.Dense, []float32) {
	n := 1
	for _, s := range shape {
		n *= s
	}
	data := make([]float32, n)
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data)), data
}

// checkArity returns an error unless len(in) == n.
func checkArity(name string, in []tensor.Shape, n int) error {
	if len(in) != n {
		return fmt.Errorf("nn: %s: got %d inputs, want %d", name, len(in), n)
	}
	return nil
}

// rows returns the product of all but the last dimension and the last one.
func rows(s tensor.Shape) (n, last int) {
	if len(s) == 0 {
		return 1, 1
	}
	n = 1
	for _, d := range s[:len(s)-1] {
		n *= d
	}
	return n, s[len(s)-1]
}
