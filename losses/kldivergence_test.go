package losses

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hand-computed case, B = 2, n = 2, τ = 1:
//
//	row 0: s = [0, 0]  → q = [1/2, 1/2];  t = [ln 3, 0] → p = [3/4, 1/4]
//	       KL = 3/4·ln(3/4 ÷ 1/2) + 1/4·ln(1/4 ÷ 1/2) = 0.75·ln 1.5 − 0.25·ln 2
//	          = 0.304098831 − 0.173286795 = 0.130812036
//	row 1: s = t = [1, 2] → KL = 0
//	L = (0.130812036 + 0)/2 = 0.065406018
//	∂L/∂s_ij = (q_ij − p_ij)/B: row 0 [(0.5−0.75)/2, (0.5−0.25)/2] = [−0.125, 0.125], row 1 [0, 0]
const klHand = 0.06540601797056848

var (
	klStudent = []float64{0, 0, 1, 2}
	klTeacher = []float64{math.Log(3), 0, 1, 2}
)

func TestKLDivergenceHandComputed(t *testing.T) {
	ins := []input{{[]int{2, 2}, klStudent}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) {
			return KLDivergence(in[0], klTeacher, 1)
		})
		assertClose(t, dt.String()+" KLDivergence", loss, klHand, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s", grads[0], []float64{-0.125, 0.125, 0, 0}, 1e-6)
	}
	// τ = 2 with doubled teacher scores gives the same teacher distribution.
	doubled := []float32{float32(2 * math.Log(3)), 0, 2, 4}
	loss, _ := evalGraph(t, tensor.Float64, ins, func(in []*G.Node) (*G.Node, error) {
		return KLDivergence(in[0], doubled, 2)
	})
	assertClose(t, "τ = 2", loss, klHand, 1e-6)
	v, err := KLDivergenceValue(rows(klStudent, 2), rows(klTeacher, 2), 1)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "KLDivergenceValue", v, klHand, 1e-15)
}

func TestKLDivergenceTeacherNode(t *testing.T) {
	// The teacher as a node of the graph, scaled by τ inside the graph.
	ins := []input{{[]int{2, 2}, klStudent}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, _ := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) {
			tn := G.NewMatrix(in[0].Graph(), dt, G.WithShape(2, 2), G.WithName("teacher"),
				G.WithValue(matLike(dt, 2, 2, []float64{3 * math.Log(3), 0, 3, 6})))
			return KLDivergence(in[0], tn, 3)
		})
		assertClose(t, dt.String()+" teacher node, τ = 3", loss, klHand, 1e-6)
	}
}

func TestKLDivergenceGradientFD(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const b, n = 3, 4
	teacher := randn(r, b*n, 4)
	for _, tau := range []float64{1, 0.5, 2} {
		checkGradFD(t, []input{{[]int{b, n}, randn(r, b*n, 2)}}, func(in []*G.Node) (*G.Node, error) {
			return KLDivergence(in[0], teacher, tau)
		})
	}
	// Ties in the row maximum (where Max's gradient is ambiguous) must not
	// bias the gradient: the max shift cancels.
	checkGradFD(t, []input{{[]int{2, 3}, []float64{1, 1, 0, 2, -1, 2}}}, func(in []*G.Node) (*G.Node, error) {
		return KLDivergence(in[0], []float64{0, 1, 2, 3, 1, 0}, 1)
	})
}

func TestKLDivergenceValueMatchesGraph(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const b, n = 4, 6
	s, tch := randn(r, b*n, 3), randn(r, b*n, 8)
	want, err := KLDivergenceValue(rows(s, n), rows(tch, n), 1.5)
	if err != nil {
		t.Fatal(err)
	}
	build := func(in []*G.Node) (*G.Node, error) { return KLDivergence(in[0], tch, 1.5) }
	ins := []input{{[]int{b, n}, s}}
	checkGraphValue(t, ins, build, want)
}

func TestKLDivergenceLargeScores(t *testing.T) {
	// s = [1000, 0, −1000], t = [0, 1000, 0]: p ≈ [0, 1, 0], log q = [0, −1000, −2000],
	// KL ≈ 1·(0 − (−1000)) = 1000. A naive softmax gives exp(1000) = +Inf and NaN.
	s, tch := []float64{1000, 0, -1000}, []float64{0, 1000, 0}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, []input{{[]int{1, 3}, s}}, func(in []*G.Node) (*G.Node, error) {
			return KLDivergence(in[0], tch, 1)
		})
		assertClose(t, dt.String()+" large-score KL", loss, 1000, 1e-6)
		// ∂L/∂s = q − p = [1, −1, 0].
		assertSliceClose(t, dt.String()+" large-score ∂L/∂s", grads[0], []float64{1, -1, 0}, 1e-6)
	}
	v, err := KLDivergenceValue([][]float64{s}, [][]float64{tch}, 1)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "KLDivergenceValue", v, 1000, 1e-12)
}

func TestKLDivergenceErrors(t *testing.T) {
	g := G.NewGraph()
	m := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("m"))
	v := G.NewVector(g, tensor.Float32, G.WithShape(6), G.WithName("v"))
	wrong := G.NewMatrix(g, tensor.Float32, G.WithShape(3, 2), G.WithName("wrong"))
	var shapeErr *ShapeError
	var paramErr *ParamError
	if _, err := KLDivergence(v, make([]float32, 6), 1); !errors.As(err, &shapeErr) {
		t.Errorf("vector student: err = %v, want *ShapeError", err)
	}
	if _, err := KLDivergence(m, make([]float32, 5), 1); !errors.As(err, &shapeErr) {
		t.Errorf("short teacher: err = %v, want *ShapeError", err)
	}
	if _, err := KLDivergence(m, wrong, 1); !errors.As(err, &shapeErr) {
		t.Errorf("teacher node shape: err = %v, want *ShapeError", err)
	}
	for _, tau := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := KLDivergence(m, make([]float32, 6), tau); !errors.As(err, &paramErr) {
			t.Errorf("tau %v: err = %v, want *ParamError", tau, err)
		}
	}
	if _, err := KLDivergenceValue([][]float32{{1, 2}}, [][]float32{{1}}, 1); !errors.As(err, &shapeErr) {
		t.Errorf("ragged value rows: err = %v, want *ShapeError", err)
	}
	if _, err := KLDivergenceValue[float32](nil, nil, 1); !errors.Is(err, ErrEmptyBatch) {
		t.Errorf("empty: err = %v, want ErrEmptyBatch", err)
	}
}

func matLike(dt tensor.Dtype, r, c int, v []float64) tensor.Tensor {
	if dt == tensor.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(append([]float64(nil), v...)))
}
