package nn

import (
	"fmt"
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// arenaCase is a kernel with inputs, for TestApplyRunsReuseBuffers.
type arenaCase struct {
	name string
	k    func() Kernel
	in   []*tensor.Dense
}

func arenaCases() []arenaCase {
	r := rng()
	ones := func(shape ...int) *tensor.Dense {
		t, d := newF32(shape...)
		for i := range d {
			d[i] = 1
		}
		return t
	}
	attMask := constF32([]float32{1, 1, 1, 0, 1, 1, 1, 1}, 2, 4)
	return []arenaCase{
		{"Linear", func() Kernel { return NewLinear(true) }, []*tensor.Dense{randF32(r, 1, 6, 4), randF32(r, 1, 5, 4), randF32(r, 1, 5)}},
		{"LinearNoBias", func() Kernel { return NewLinear(false) }, []*tensor.Dense{randF32(r, 1, 6, 4), randF32(r, 1, 5, 4)}},
		{"BiasGELU", func() Kernel { return NewBiasGELU() }, []*tensor.Dense{randF32(r, 3, 4, 6), randF32(r, 1, 6)}},
		{"LayerNorm", func() Kernel { return NewLayerNorm(1e-5) }, []*tensor.Dense{randF32(r, 2, 5, 8), randF32(r, 1, 8), randF32(r, 1, 8)}},
		{"AddLayerNorm", func() Kernel { return NewAddLayerNorm(1e-5) }, []*tensor.Dense{randF32(r, 2, 3, 8), randF32(r, 2, 3, 8), randF32(r, 1, 8), randF32(r, 1, 8)}},
		{"Attention", func() Kernel { return NewAttention(2) }, []*tensor.Dense{randF32(r, 1, 8, 6), randF32(r, 1, 8, 6), randF32(r, 1, 8, 6), attMask}},
		{"L2Normalize", func() Kernel { return NewL2Normalize(0) }, []*tensor.Dense{randF32(r, 1, 4, 5)}},
		{"MaxSim", func() Kernel { return NewMaxSim(2) }, []*tensor.Dense{randF32(r, 1, 6, 3), constF32([]float32{1, 1, 1, 1, 0, 1}, 2, 3),
			randF32(r, 1, 16, 3), constF32([]float32{1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1}, 4, 4)}},
		{"SpladeMax", func() Kernel { return NewSpladeMax(3) }, []*tensor.Dense{randF32(r, 1, 8, 4), randF32(r, 1, 11, 4), randF32(r, 0.5, 11), attMask}},
		{"SpladeMaxFull", func() Kernel { return NewSpladeMax(4) }, []*tensor.Dense{randF32(r, 1, 6, 4), randF32(r, 1, 9, 4), randF32(r, 0.5, 9), ones(3, 2)}},
		{"PairDot", func() Kernel { return NewPairDot(1) }, []*tensor.Dense{randF32(r, 1, 2, 5), randF32(r, 1, 4, 5)}},
		{"Dropout", func() Kernel { return NewDropout(0.3, &DropoutClock{Seed: 5}, 1) }, []*tensor.Dense{randF32(r, 1, 6, 7)}},
		{"Embeddings", func() Kernel { return NewEmbeddings() }, []*tensor.Dense{intTensor([]int{3, 0, 3, 5, 1, 2}, 2, 3),
			randF32(r, 1, 6, 4), randF32(r, 1, 4, 4), randF32(r, 1, 2, 4)}},
		// Slots after the last used one (rows < M) keep dh at 0.
		{"MLMCrossEntropy", func() Kernel { return NewMLMCrossEntropy() }, []*tensor.Dense{randF32(r, 1, 5, 4), randF32(r, 1, 7, 4),
			randF32(r, 1, 7), intTensor([]int{3, -1, 6, -1, -1}, 5)}},
	}
}

// TestApplyRunsReuseBuffers runs each kernel in a graph several times and
// checks every run against a fresh kernel's Forward and Backward. Between
// runs the node's buffers are filled with NaN, so a pass that relies on
// zeroed or previous memory fails.
func TestApplyRunsReuseBuffers(t *testing.T) {
	for _, c := range arenaCases() {
		t.Run(c.name, func(t *testing.T) {
			k := c.k()
			g := gorgonia.NewGraph()
			nodes := make([]*gorgonia.Node, len(c.in))
			var wrt []*gorgonia.Node
			for i, v := range c.in {
				nodes[i] = gorgonia.NewTensor(g, v.Dtype(), v.Dims(), gorgonia.WithShape(v.Shape()...),
					gorgonia.WithName(fmt.Sprintf("in%d", i)), gorgonia.WithValue(v))
				if k.DiffWRT()[i] {
					wrt = append(wrt, nodes[i])
				}
			}
			out, err := Apply(k, nodes...)
			if err != nil {
				t.Fatal(err)
			}
			R := randF32(rng(), 1, out.Shape()...)
			// Named: gorgonia merges unnamed inputs of the same type and shape.
			rn := gorgonia.NewTensor(g, tensor.Float32, R.Dims(), gorgonia.WithShape(R.Shape()...),
				gorgonia.WithName("R"), gorgonia.WithValue(R))
			loss := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.HadamardProd(out, rn))))
			grads, err := gorgonia.Grad(loss, wrt...)
			if err != nil {
				t.Fatal(err)
			}

			ref := c.k()
			wantOut, err := ref.Forward(c.in, true)
			if err != nil {
				t.Fatal(err)
			}
			wantGrads, err := ref.Backward(c.in, wantOut, R)
			if err != nil {
				t.Fatal(err)
			}

			vm := gorgonia.NewTapeMachine(g)
			defer vm.Close()
			op := out.Op().(*kernelOp)
			for run := 0; run < 3; run++ {
				if err := vm.RunAll(); err != nil {
					t.Fatal(err)
				}
				assertClose(t, fmt.Sprintf("run %d output", run), f32(out.Value().(*tensor.Dense)), f32(wantOut), 1e-6)
				gi := 0
				for i, d := range k.DiffWRT() {
					if !d {
						continue
					}
					got := f32(grads[gi].Value().(*tensor.Dense))
					assertClose(t, fmt.Sprintf("run %d gradient %d", run, i), got, f32(wantGrads[i]), 1e-5)
					gi++
				}
				if len(op.mem.used) == 0 {
					t.Fatal("the node took no buffers from its arena")
				}
				for _, b := range op.mem.used {
					for i := range b {
						b[i] = float32(math.NaN())
					}
				}
				vm.Reset()
			}
		})
	}
}
