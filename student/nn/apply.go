package nn

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"
	"time"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var opSeq atomic.Uint64

// Apply adds a node computing k on the given inputs to their graph. The node
// is symbolically differentiable: gorgonia.Grad gives each differentiable
// input a gradient node, and the first of them to run calls k.Backward once
// for all inputs.
//
// The node reuses memory from one run of the machine to the next (see
// arena): its output and the gradients it hands out stay valid until the
// node runs again, so copy any value to be kept across runs.
func Apply(k Kernel, inputs ...*gorgonia.Node) (*gorgonia.Node, error) {
	shapes := make([]tensor.Shape, len(inputs))
	types := make([]hm.Type, len(inputs)+1)
	for i, n := range inputs {
		shapes[i] = n.Shape().Clone()
		types[i] = n.Type()
	}
	out, err := k.OutShape(shapes)
	if err != nil {
		return nil, err
	}
	types[len(inputs)] = gorgonia.TensorType{Dims: len(out), Of: tensor.Float32}
	op := &kernelOp{k: k, id: opSeq.Add(1), typ: hm.NewFnType(types...), in: shapes, out: out}
	return gorgonia.ApplyOp(op, inputs...)
}

// kernelOp is the gorgonia operation around a Kernel's forward pass.
type kernelOp struct {
	k   Kernel
	id  uint64
	typ hm.Type
	in  []tensor.Shape
	out tensor.Shape

	grads []*tensor.Dense // gradients of the latest Backward not yet handed out
	mem   arena           // buffers of the node's runs, for arenaKernels
}

// arenaKernel is a Kernel whose passes can take their buffers from an
// arena; Forward and Backward are forward and backward with a nil arena.
// Graph nodes use it so that a training loop reuses the same memory every
// step instead of allocating (and zeroing) all activations and gradients.
type arenaKernel interface {
	forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error)
	backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error)
}

func (op *kernelOp) Arity() int    { return len(op.in) }
func (op *kernelOp) Type() hm.Type { return op.typ }
func (op *kernelOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return op.out.Clone(), nil
}
func (op *kernelOp) ReturnsPtr() bool      { return false }
func (op *kernelOp) CallsExtern() bool     { return false }
func (op *kernelOp) OverwritesInput() int  { return -1 }
func (op *kernelOp) String() string        { return fmt.Sprintf("%s#%d", op.k.Name(), op.id) }
func (op *kernelOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *kernelOp) Hashcode() uint32      { return hashOf(op) }
func (op *kernelOp) DiffWRT(int) []bool    { return op.k.DiffWRT() }

func (op *kernelOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if timing.on.Load() {
		defer record(op.k.Name(), "forward", time.Now())
	}
	in, err := denseValues(op.k.Name(), vals)
	if err != nil {
		return nil, err
	}
	var out *tensor.Dense
	if ak, ok := op.k.(arenaKernel); ok {
		op.mem.newRun() // the previous run's values are stale from here on
		out, err = ak.forward(in, true, &op.mem)
	} else {
		out, err = op.k.Forward(in, true)
	}
	if err != nil {
		return nil, err
	}
	op.grads = nil
	return out, nil
}

// SymDiff returns one gradient node per differentiable input.
func (op *kernelOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	diff := op.k.DiffWRT()
	res := make(gorgonia.Nodes, len(inputs))
	children := append(append(gorgonia.Nodes{}, inputs...), output, grad)
	types := make([]hm.Type, 0, len(children)+1)
	for _, c := range children {
		types = append(types, c.Type())
	}
	for i, in := range inputs {
		if !diff[i] {
			continue
		}
		g := &gradOp{fwd: op, i: i, typ: hm.NewFnType(append(types, in.Type())...)}
		n, err := gorgonia.ApplyOp(g, children...)
		if err != nil {
			return nil, fmt.Errorf("nn: %s: gradient of input %d: %w", op.k.Name(), i, err)
		}
		res[i] = n
	}
	return res, nil
}

// gradOp yields the gradient of input i of a kernelOp. Its children are the
// forward inputs, the forward output and the output's gradient.
type gradOp struct {
	fwd *kernelOp
	i   int
	typ hm.Type
}

func (g *gradOp) Arity() int    { return len(g.fwd.in) + 2 }
func (g *gradOp) Type() hm.Type { return g.typ }
func (g *gradOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return g.fwd.in[g.i].Clone(), nil
}
func (g *gradOp) ReturnsPtr() bool      { return false }
func (g *gradOp) CallsExtern() bool     { return false }
func (g *gradOp) OverwritesInput() int  { return -1 }
func (g *gradOp) String() string        { return fmt.Sprintf("∂%s/∂in%d", g.fwd, g.i) }
func (g *gradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, g.String()) }
func (g *gradOp) Hashcode() uint32      { return hashOf(g) }

func (g *gradOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	op := g.fwd
	if op.grads == nil {
		if timing.on.Load() {
			defer record(op.k.Name(), "backward", time.Now())
		}
		in, err := denseValues(op.k.Name(), vals)
		if err != nil {
			return nil, err
		}
		n := len(op.in)
		var grads []*tensor.Dense
		if ak, ok := op.k.(arenaKernel); ok {
			grads, err = ak.backward(in[:n], in[n], in[n+1], &op.mem)
		} else {
			grads, err = op.k.Backward(in[:n], in[n], in[n+1])
		}
		if err != nil {
			return nil, err
		}
		op.grads = grads
	}
	d := op.grads[g.i]
	if d == nil {
		return nil, fmt.Errorf("nn: %s: no gradient for input %d", op.k.Name(), g.i)
	}
	op.grads[g.i] = nil // hand over ownership; a second call recomputes
	if allNil(op.grads) {
		op.grads = nil
	}
	return d, nil
}

func allNil(ts []*tensor.Dense) bool {
	for _, t := range ts {
		if t != nil {
			return false
		}
	}
	return true
}

func hashOf(s fmt.Stringer) uint32 {
	h := fnv.New32a()
	fmt.Fprint(h, s.String())
	return h.Sum32()
}

// denseValues converts gorgonia values to dense tensors.
func denseValues(name string, vals []gorgonia.Value) ([]*tensor.Dense, error) {
	out := make([]*tensor.Dense, len(vals))
	for i, v := range vals {
		switch t := v.(type) {
		case *tensor.Dense:
			out[i] = t
		case *gorgonia.F32:
			out[i] = tensor.New(tensor.WithShape(), tensor.WithBacking([]float32{float32(*t)}))
		default:
			return nil, fmt.Errorf("nn: %s: input %d is a %T, want a dense tensor", name, i, v)
		}
	}
	return out, nil
}
