package nn

import (
	"time"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Engine is gorgonia's CPU engine with float32 sums split across all CPUs.
//
// gorgonia.Grad adds up the gradients of a value used more than once (a
// layer's input feeds the query, key and value products and the residual;
// every weight serves the query and the document encoders) with one Add
// node per extra use, and the standard engine runs each Add on one CPU:
// about 50 million floats per ColBERT training step, a serial section
// that grows in share with the number of CPUs. Engine splits such sums
// into contiguous chunks on all CPUs; each element is the same single
// addition, so results do not depend on the number of CPUs.
//
// Use it through NewMachine, or gorgonia.WithEngine(Engine{}).
type Engine struct {
	gorgonia.StandardEngine
}

// minParallelAdd is the size from which Engine.Add uses more than one CPU.
const minParallelAdd = 1 << 15

// NewMachine returns a tape machine for g that runs on Engine.
func NewMachine(g *gorgonia.ExprGraph, opts ...gorgonia.VMOpt) gorgonia.VM {
	return gorgonia.NewTapeMachine(g, append([]gorgonia.VMOpt{gorgonia.WithEngine(Engine{})}, opts...)...)
}

// Add computes a + b. Dense float32 operands of one shape, written to a
// reuse tensor, to a (unsafe) or to a new tensor, run on all CPUs; anything
// else (broadcasting, views, other types, incr) is the standard engine's.
func (e Engine) Add(a, b tensor.Tensor, opts ...tensor.FuncOpt) (tensor.Tensor, error) {
	if timing.on.Load() {
		defer record("Add", "sum", time.Now())
	}
	x, okA := plainF32(a)
	y, okB := plainF32(b)
	if !okA || !okB || len(x) < minParallelAdd || !a.Shape().Eq(b.Shape()) {
		return e.StandardEngine.Add(a, b, opts...)
	}
	fo := tensor.ParseFuncOpts(opts...)
	if fo.Incr() != nil || (fo.As() != tensor.Dtype{} && fo.As() != tensor.Float32) {
		return e.StandardEngine.Add(a, b, opts...)
	}
	var out tensor.Tensor
	var dst []float32
	switch reuse := fo.Reuse(); {
	case reuse != nil:
		d, ok := plainF32(reuse)
		if !ok || len(d) != len(x) {
			return e.StandardEngine.Add(a, b, opts...)
		}
		out, dst = reuse, d
	case !fo.Safe():
		out, dst = a, x
	default:
		d := make([]float32, len(x))
		out, dst = tensor.New(tensor.WithShape(a.Shape().Clone()...), tensor.WithBacking(d), tensor.WithEngine(e)), d
	}
	parallelFor(len(x)/minParallelAdd, func(lo, hi int) {
		lo *= minParallelAdd
		if hi == len(x)/minParallelAdd {
			hi = len(x)
		} else {
			hi *= minParallelAdd
		}
		d, p, q := dst[lo:hi], x[lo:hi], y[lo:hi]
		for i := range d {
			d[i] = p[i] + q[i]
		}
	})
	return out, nil
}

// plainF32 returns the backing slice of a contiguous, unmasked float32
// dense tensor that is not a view.
func plainF32(t tensor.Tensor) ([]float32, bool) {
	d, ok := t.(*tensor.Dense)
	if !ok || d.Dtype() != tensor.Float32 || d.IsView() || d.RequiresIterator() {
		return nil, false
	}
	s := d.Float32s()
	return s, len(s) == d.Shape().TotalSize()
}
