package losses

import (
	"errors"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hand-computed case, B = 2, V = 3:
//
//	w = [[1, 0, 2],
//	     [3, 0, 0]]
//	column means of |w| = [(1+3)/2, 0, (2+0)/2] = [2, 0, 1]
//	L = 2² + 0² + 1² = 5
//	∂L/∂w_ij = 2·mean_j·sign(w_ij)/B: column 0 → 2·2/2 = 2, column 1 → 0,
//	column 2 → 2·1/2 = 1 where w > 0 and 0 where w = 0 (sign(0) = 0)
func TestFLOPSHandComputed(t *testing.T) {
	ins := []input{{[]int{2, 3}, []float64{1, 0, 2, 3, 0, 0}}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) { return FLOPS(in[0]) })
		assertClose(t, dt.String()+" FLOPS", loss, 5, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂w", grads[0], []float64{2, 0, 1, 2, 0, 0}, 1e-6)
	}
	v, err := FLOPSValue([][]float32{{1, 0, 2}, {3, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "FLOPSValue", v, 5, 1e-15)
	// |w| makes the sign irrelevant: −w gives the same value.
	v, _ = FLOPSValue([][]float64{{-1, 0, -2}, {-3, 0, 0}})
	assertClose(t, "FLOPSValue(−w)", v, 5, 1e-15)
}

func TestFLOPSGradientFD(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	w := randn(r, 12, 1)
	for i := range w { // away from the kink of |x| at 0, mixed signs
		if w[i] > -0.05 && w[i] < 0.05 {
			w[i] = 0.3
		}
	}
	checkGradFD(t, []input{{[]int{3, 4}, w}}, func(in []*G.Node) (*G.Node, error) { return FLOPS(in[0]) })
}

func TestFLOPSValueMatchesGraph(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	w := randn(r, 5*7, 1)
	for i := range w {
		if w[i] < 0 { // SPLADE activations log(1 + ReLU(x)) are ≥ 0
			w[i] = 0
		}
	}
	want, err := FLOPSValue(rows(w, 7))
	if err != nil {
		t.Fatal(err)
	}
	ins := []input{{[]int{5, 7}, w}}
	build := func(in []*G.Node) (*G.Node, error) { return FLOPS(in[0]) }
	checkGraphValue(t, ins, build, want)
}

func TestFLOPSErrors(t *testing.T) {
	g := G.NewGraph()
	var shapeErr *ShapeError
	if _, err := FLOPS(G.NewVector(g, tensor.Float32, G.WithShape(4), G.WithName("v"))); !errors.As(err, &shapeErr) {
		t.Errorf("vector: err = %v, want *ShapeError", err)
	}
	if _, err := FLOPSValue([][]float32{{1, 2}, {3}}); !errors.As(err, &shapeErr) {
		t.Errorf("ragged: err = %v, want *ShapeError", err)
	}
	if _, err := FLOPSValue[float32](nil); !errors.Is(err, ErrEmptyBatch) {
		t.Errorf("empty: err = %v, want ErrEmptyBatch", err)
	}
}
