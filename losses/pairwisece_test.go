package losses

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hand-computed case, B = 2:
//
//	s⁺ = [0, 2], s⁻ = [0, 1], d = s⁻ − s⁺ = [0, −1]
//	softplus(0) = ln 2 = 0.693147181, softplus(−1) = ln(1 + e⁻¹) = 0.313261688
//	L = (0.693147181 + 0.313261688)/2 = 0.503204434
//	∂L/∂s⁻_i = σ(d_i)/B = [0.5/2, σ(−1)/2] = [0.25, 0.268941421/2 = 0.134470711]
//	∂L/∂s⁺_i = −∂L/∂s⁻_i
func TestPairwiseCEHandComputed(t *testing.T) {
	const want = 0.5032044340390841
	sig := 1 / (1 + math.E) // σ(−1) = 0.2689414213699951
	ins := []input{{[]int{2}, []float64{0, 2}}, {[]int{2}, []float64{0, 1}}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) { return PairwiseCE(in[0], in[1]) })
		assertClose(t, dt.String()+" PairwiseCE", loss, want, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁺", grads[0], []float64{-0.25, -sig / 2}, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁻", grads[1], []float64{0.25, sig / 2}, 1e-6)
	}
	v, err := PairwiseCEValue([]float64{0, 2}, []float64{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "PairwiseCEValue", v, want, 1e-15)
}

func TestPairwiseCELargeScores(t *testing.T) {
	// d = [2000, −2000]: softplus = [2000, 0], L = 1000; log(1 + exp(2000)) overflows naively.
	ins := []input{{[]int{2}, []float64{-1000, 1000}}, {[]int{2}, []float64{1000, -1000}}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) { return PairwiseCE(in[0], in[1]) })
		assertClose(t, dt.String()+" large-score PairwiseCE", loss, 1000, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁺", grads[0], []float64{-0.5, 0}, 1e-6)
	}
	v, _ := PairwiseCEValue([]float32{-1000, 1000}, []float32{1000, -1000})
	assertClose(t, "PairwiseCEValue", v, 1000, 1e-15)
}

func TestPairwiseCEGradientFD(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	checkGradFD(t, []input{{[]int{6}, randn(r, 6, 3)}, {[]int{6}, randn(r, 6, 3)}}, func(in []*G.Node) (*G.Node, error) {
		return PairwiseCE(in[0], in[1])
	})
}

func TestPairwiseCEValueMatchesGraph(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	sp, sn := randn(r, 9, 4), randn(r, 9, 4)
	want, err := PairwiseCEValue(sp, sn)
	if err != nil {
		t.Fatal(err)
	}
	ins := []input{{[]int{9}, sp}, {[]int{9}, sn}}
	build := func(in []*G.Node) (*G.Node, error) { return PairwiseCE(in[0], in[1]) }
	checkGraphValue(t, ins, build, want)
}

// PairwiseCE equals KLDivergence with a one-hot teacher over (pos, neg), up
// to the teacher's entropy, which is 0: a large teacher margin approximates it.
func TestPairwiseCEIsOneHotKL(t *testing.T) {
	sp, sn := []float64{0.3, -1, 2}, []float64{0.1, 0.5, -2}
	ce, _ := PairwiseCEValue(sp, sn)
	var s, tch [][]float64
	for i := range sp {
		s = append(s, []float64{sp[i], sn[i]})
		tch = append(tch, []float64{100, 0})
	}
	kl, err := KLDivergenceValue(s, tch, 1)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "one-hot KL", kl, ce, 1e-12)
}

func TestPairwiseCEErrors(t *testing.T) {
	g := G.NewGraph()
	a := G.NewVector(g, tensor.Float32, G.WithShape(2), G.WithName("a"))
	b := G.NewVector(g, tensor.Float64, G.WithShape(2), G.WithName("b"))
	var dtypeErr *DtypeError
	if _, err := PairwiseCE(a, b); !errors.As(err, &dtypeErr) {
		t.Errorf("mixed dtypes: err = %v, want *DtypeError", err)
	}
	var shapeErr *ShapeError
	if _, err := PairwiseCEValue([]float32{1}, []float32{1, 2}); !errors.As(err, &shapeErr) {
		t.Errorf("length: err = %v, want *ShapeError", err)
	}
}

// Two losses built in one graph from different label slices must not be
// merged by gorgonia's node deduplication.
func TestLabelSlicesAreDistinctNodes(t *testing.T) {
	ins := []input{{[]int{3}, mmSPos}, {[]int{3}, mmSNeg}}
	loss, _ := evalGraph(t, tensor.Float64, ins, func(in []*G.Node) (*G.Node, error) {
		a, err := MarginMSEFromMargin(in[0], in[1], []float64{3, -1, 2}) // 5/3
		if err != nil {
			return nil, err
		}
		b, err := MarginMSEFromMargin(in[0], in[1], []float64{2, -1, 0}) // 0
		if err != nil {
			return nil, err
		}
		return G.Add(a, b)
	})
	assertClose(t, "sum of two MarginMSE", loss, 5.0/3, 1e-12)
}
