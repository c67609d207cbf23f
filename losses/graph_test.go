package losses

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// builder builds a loss from input nodes created by evalGraph.
type builder func(in []*G.Node) (*G.Node, error)

// input is one student input: its shape and row-major values.
type input struct {
	shape []int
	data  []float64
}

// evalGraph builds the loss in a fresh graph of dtype dt, runs the forward
// and backward pass with a TapeMachine and returns the loss and its gradient
// with respect to every input.
func evalGraph(t *testing.T, dt tensor.Dtype, ins []input, build builder) (float64, [][]float64) {
	t.Helper()
	g := G.NewGraph()
	nodes := make([]*G.Node, len(ins))
	for i, in := range ins {
		var backing any = append([]float64(nil), in.data...)
		if dt == tensor.Float32 {
			f := make([]float32, len(in.data))
			for k, x := range in.data {
				f[k] = float32(x)
			}
			backing = f
		}
		v := tensor.New(tensor.WithShape(in.shape...), tensor.WithBacking(backing))
		nodes[i] = G.NewTensor(g, dt, len(in.shape), G.WithShape(in.shape...), G.WithValue(v), G.WithName(fmt.Sprintf("in%d", i)))
	}
	loss, err := build(nodes)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if !loss.IsScalar() {
		t.Fatalf("loss has shape %v, want a scalar", loss.Shape())
	}
	if _, err := G.Grad(loss, nodes...); err != nil {
		t.Fatalf("Grad: %v", err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatalf("RunAll: %v", err)
	}
	grads := make([][]float64, len(nodes))
	for i, n := range nodes {
		gv, err := n.Grad()
		if err != nil {
			t.Fatalf("grad of input %d: %v", i, err)
		}
		grads[i] = toFloat64s(t, gv.Data())
	}
	return toFloat64s(t, loss.Value().Data())[0], grads
}

func toFloat64s(t *testing.T, d any) []float64 {
	t.Helper()
	switch v := d.(type) {
	case float64:
		return []float64{v}
	case float32:
		return []float64{float64(v)}
	case []float64:
		return append([]float64(nil), v...)
	case []float32:
		return widen(v)
	}
	t.Fatalf("unexpected value data %T", d)
	return nil
}

// checkGradFD compares the graph's gradient with central finite differences
// of the graph's own value, in float64:
//
//	∂L/∂x_k ≈ (L(x + h e_k) − L(x − h e_k)) / 2h,  error O(h²)
func checkGradFD(t *testing.T, ins []input, build builder) {
	t.Helper()
	const h, tol = 1e-5, 1e-7
	_, grads := evalGraph(t, tensor.Float64, ins, build)
	for i := range ins {
		for k := range ins[i].data {
			x := ins[i].data[k]
			ins[i].data[k] = x + h
			up, _ := evalGraph(t, tensor.Float64, ins, build)
			ins[i].data[k] = x - h
			down, _ := evalGraph(t, tensor.Float64, ins, build)
			ins[i].data[k] = x
			fd := (up - down) / (2 * h)
			if d := math.Abs(grads[i][k] - fd); d > tol*math.Max(1, math.Abs(fd)) {
				t.Errorf("∂L/∂input%d[%d] = %.10g, finite differences give %.10g (|Δ| = %.3g)", i, k, grads[i][k], fd, d)
			}
		}
	}
}

// checkGraphValue checks that the graph build makes of ins computes want
// (the loss's Value function) in float64 (to 1e-12) and float32 (to 1e-5).
func checkGraphValue(t *testing.T, ins []input, build builder, want float64) {
	t.Helper()
	got64, _ := evalGraph(t, tensor.Float64, ins, build)
	assertClose(t, "float64 graph", got64, want, 1e-12)
	got32, _ := evalGraph(t, tensor.Float32, ins, build)
	assertClose(t, "float32 graph", got32, want, 1e-5)
}

func assertClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g (tol %g)", what, got, want, tol)
	}
}

func assertSliceClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s has %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		assertClose(t, what+"["+string(rune('0'+i))+"]", got[i], want[i], tol)
	}
}

// randn returns n seeded standard-normal values scaled by s.
func randn(r *rand.Rand, n int, s float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = s * r.NormFloat64()
	}
	return out
}

func rows(flat []float64, n int) [][]float64 {
	var out [][]float64
	for i := 0; i < len(flat); i += n {
		out = append(out, flat[i:i+n])
	}
	return out
}
