package checkpoints

import "fmt"

// Tensor is a dense float32 array in row-major order. A matrix of a Linear
// layer is stored as [out, in], as in PyTorch. The student package converts
// to and from its gorgonia tensors.
type Tensor struct {
	Shape []int
	Data  []float32
}

// NumElements returns the product of the shape (1 for a scalar, shape []).
func (t Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Validate reports a negative dimension or a Data length that does not
// match the shape.
func (t Tensor) Validate() error {
	n := 1
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("negative dimension in shape %v", t.Shape)
		}
		if d > 0 && n > maxElements/d {
			return fmt.Errorf("shape %v is too large", t.Shape)
		}
		n *= d
	}
	if n != len(t.Data) {
		return fmt.Errorf("shape %v holds %d values, data has %d", t.Shape, n, len(t.Data))
	}
	return nil
}

// maxElements bounds a tensor's element count so that byte sizes never
// overflow (2^40 elements, 4 TiB of float32).
const maxElements = 1 << 40

// ParamCount returns the total number of values of the tensors.
func ParamCount(tensors map[string]Tensor) int64 {
	var n int64
	for _, t := range tensors {
		n += int64(len(t.Data))
	}
	return n
}
