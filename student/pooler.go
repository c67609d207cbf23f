package student

import (
	"fmt"
	"math"

	"github.com/distill-ml/distill/student/nn"
	"gorgonia.org/tensor"
)

// This file holds the three small kernels of BERT's pooler and
// classification head; they follow the nn.Kernel contract of student/nn.

var (
	_ nn.Kernel = (*firstTokens)(nil)
	_ nn.Kernel = tanhKernel{}
	_ nn.Kernel = firstColumn{}
)

// firstTokens picks the first token (the [CLS] position) of each sequence.
//
// Input: h [B·S, H]. Output: c [B, H].
//
//	c_b = h_(b·S)            dh_(b·S) = dc_b, 0 elsewhere
type firstTokens struct{ S int }

func (*firstTokens) Name() string    { return "FirstTokens" }
func (*firstTokens) DiffWRT() []bool { return []bool{true} }

func (k *firstTokens) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("student: %s: got %d inputs, want 1", k.Name(), len(in))
	}
	if h := in[0]; len(h) != 2 || k.S <= 0 || h[0]%k.S != 0 {
		return nil, &nn.ShapeError{Op: k.Name(), Input: "h", Got: h, Want: fmt.Sprintf("[B·%d, H]", k.S)}
	}
	return tensor.Shape{in[0][0] / k.S, in[0][1]}, nil
}

func (k *firstTokens) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	shape, err := k.OutShape([]tensor.Shape{in[0].Shape()})
	if err != nil {
		return nil, err
	}
	B, H := shape[0], shape[1]
	h := in[0].Data().([]float32)
	c := make([]float32, B*H)
	for b := range B {
		copy(c[b*H:(b+1)*H], h[b*k.S*H:])
	}
	return tensor.New(tensor.WithShape(B, H), tensor.WithBacking(c)), nil
}

func (k *firstTokens) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	B, H := out.Shape()[0], out.Shape()[1]
	dc := dOut.Data().([]float32)
	dh := make([]float32, in[0].Shape().TotalSize())
	for b := range B {
		copy(dh[b*k.S*H:], dc[b*H:(b+1)*H])
	}
	return []*tensor.Dense{tensor.New(tensor.WithShape(in[0].Shape()...), tensor.WithBacking(dh))}, nil
}

// tanhKernel is the pooler's activation.
//
// Input: x. Output: y of the same shape.
//
//	y = tanh(x)              dx = dy·(1 − y²)
type tanhKernel struct{}

func (tanhKernel) Name() string    { return "Tanh" }
func (tanhKernel) DiffWRT() []bool { return []bool{true} }

func (k tanhKernel) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("student: %s: got %d inputs, want 1", k.Name(), len(in))
	}
	return in[0].Clone(), nil
}

func (tanhKernel) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	x := in[0].Data().([]float32)
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(math.Tanh(float64(v)))
	}
	return tensor.New(tensor.WithShape(in[0].Shape()...), tensor.WithBacking(y)), nil
}

func (tanhKernel) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	y, dy := out.Data().([]float32), dOut.Data().([]float32)
	dx := make([]float32, len(y))
	for i, v := range y {
		dx[i] = dy[i] * (1 - v*v)
	}
	return []*tensor.Dense{tensor.New(tensor.WithShape(in[0].Shape()...), tensor.WithBacking(dx))}, nil
}

// firstColumn turns one-label logits [B, 1] into scores [B].
//
//	s_b = z_(b,0)            dz_(b,0) = ds_b
type firstColumn struct{}

func (firstColumn) Name() string    { return "FirstColumn" }
func (firstColumn) DiffWRT() []bool { return []bool{true} }

func (k firstColumn) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("student: %s: got %d inputs, want 1", k.Name(), len(in))
	}
	if z := in[0]; len(z) != 2 || z[1] != 1 {
		return nil, &nn.ShapeError{Op: k.Name(), Input: "z", Got: z, Want: "[B, 1]"}
	}
	return tensor.Shape{in[0][0]}, nil
}

func (firstColumn) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	z := append([]float32(nil), in[0].Data().([]float32)...)
	return tensor.New(tensor.WithShape(len(z)), tensor.WithBacking(z)), nil
}

func (firstColumn) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	dz := append([]float32(nil), dOut.Data().([]float32)...)
	return []*tensor.Dense{tensor.New(tensor.WithShape(len(dz), 1), tensor.WithBacking(dz))}, nil
}
