package losses

import (
	"fmt"
	"sync/atomic"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Teacher is the set of types a teacher's scores may take: a node of the same
// shape and dtype as the student scores, or a row-major slice with one value
// per student score (converted to a constant of the student's dtype).
type Teacher interface {
	*G.Node | []float32 | []float64
}

// Float is the element type of the reference Value functions' inputs.
type Float interface {
	~float32 | ~float64
}

// checkFloat verifies that n is a Float32 or Float64 node.
func checkFloat(loss, input string, n *G.Node) error {
	if n == nil {
		return fmt.Errorf("losses: %s: %s is nil", loss, input)
	}
	switch n.Dtype() {
	case tensor.Float32, tensor.Float64:
		return nil
	}
	return &DtypeError{Loss: loss, Input: input, Got: n.Dtype().String(), Want: "float32 or float64"}
}

// checkVector verifies that n is a float vector of length ≥ 1.
func checkVector(loss, input string, n *G.Node) error {
	if err := checkFloat(loss, input, n); err != nil {
		return err
	}
	s := n.Shape()
	if s.Dims() != 1 {
		return &ShapeError{Loss: loss, Input: input, Got: []int(s.Clone()), Want: "a vector [B]"}
	}
	if s[0] == 0 {
		return ErrEmptyBatch
	}
	return nil
}

// checkLike verifies that n has the same shape and dtype as like.
func checkLike(loss, input string, n, like *G.Node) error {
	if err := checkFloat(loss, input, n); err != nil {
		return err
	}
	if n.Dtype() != like.Dtype() {
		return &DtypeError{Loss: loss, Input: input, Got: n.Dtype().String(), Want: like.Dtype().String() + " (the student's dtype)"}
	}
	if !n.Shape().Eq(like.Shape()) {
		return &ShapeError{Loss: loss, Input: input, Got: []int(n.Shape().Clone()), Want: fmt.Sprint([]int(like.Shape()))}
	}
	return nil
}

// teacherNode returns t as a node shaped and typed like the student node like.
func teacherNode[T Teacher](loss, input string, t T, like *G.Node) (*G.Node, error) {
	switch v := any(t).(type) {
	case *G.Node:
		if err := checkLike(loss, input, v, like); err != nil {
			return nil, err
		}
		if v.Graph() != like.Graph() {
			return nil, fmt.Errorf("losses: %s: %s belongs to another graph than the student scores", loss, input)
		}
		return v, nil
	case []float32:
		return constLike(loss, input, widen(v), like)
	case []float64:
		return constLike(loss, input, v, like)
	}
	panic("unreachable: Teacher type set")
}

// labelSeq numbers the label nodes made from slices. gorgonia merges input
// nodes of equal name, type and shape (and constants of equal name or equal
// printed value), so every label node gets a name of its own.
var labelSeq atomic.Uint64

// constLike makes an input node in like's graph holding the values of v, in
// the shape and dtype of like. It takes no gradient and is never Let again.
func constLike(loss, input string, v []float64, like *G.Node) (*G.Node, error) {
	shape := like.Shape().Clone()
	if len(v) != shape.TotalSize() {
		return nil, &ShapeError{Loss: loss, Input: input, Got: []int{len(v)},
			Want: fmt.Sprintf("%d values (row-major %v)", shape.TotalSize(), []int(shape))}
	}
	var backing any
	if like.Dtype() == tensor.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		backing = f
	} else {
		backing = append([]float64(nil), v...)
	}
	name := fmt.Sprintf("losses.%s.%s#%d", loss, input, labelSeq.Add(1))
	val := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(backing))
	return G.NewTensor(like.Graph(), like.Dtype(), shape.Dims(), G.WithShape(shape...), G.WithName(name), G.WithValue(val)), nil
}

// scalarLike makes a scalar constant of like's dtype.
func scalarLike(x float64, like *G.Node) *G.Node {
	if like.Dtype() == tensor.Float32 {
		return G.NewConstant(float32(x))
	}
	return G.NewConstant(x)
}

func widen[F Float](v []F) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// checkLen verifies the length of a plain-Go input against the batch size.
func checkLen(loss, input string, got, want int) error {
	if want == 0 {
		return ErrEmptyBatch
	}
	if got != want {
		return &ShapeError{Loss: loss, Input: input, Got: []int{got}, Want: fmt.Sprintf("[%d]", want)}
	}
	return nil
}
