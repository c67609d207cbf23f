package losses

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hand-computed case, B = 2:
//
//	s⁺ = [0, 2], s⁻ = [0, −1]
//	softplus(−s⁺) = [ln 2, ln(1 + e⁻²)] = [0.693147181, 0.126928011]
//	softplus(s⁻)  = [ln 2, ln(1 + e⁻¹)] = [0.693147181, 0.313261688]
//	L = (0.693147181 + 0.126928011 + 0.693147181 + 0.313261688)/4 = 0.456621015
//	∂L/∂s⁺ = −σ(−s⁺)/4 = [−0.125, −σ(−2)/4 = −0.029800753]
//	∂L/∂s⁻ = σ(s⁻)/4 = [0.125, σ(−1)/4 = 0.067235355]
func TestPointwiseBCEHandComputed(t *testing.T) {
	want := (2*math.Ln2 + math.Log1p(math.Exp(-2)) + math.Log1p(math.Exp(-1))) / 4
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	ins := []input{{[]int{2}, []float64{0, 2}}, {[]int{2}, []float64{0, -1}}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) { return PointwiseBCE(in[0], in[1]) })
		assertClose(t, dt.String()+" PointwiseBCE", loss, want, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁺", grads[0], []float64{-0.125, -sig(-2) / 4}, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁻", grads[1], []float64{0.125, sig(-1) / 4}, 1e-6)
	}
	v, err := PointwiseBCEValue([]float64{0, 2}, []float64{0, -1})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "PointwiseBCEValue", v, want, 1e-15)
	if math.Abs(want-0.456621015) > 1e-9 {
		t.Fatalf("hand value %v", want)
	}
}

func TestPointwiseBCEGradientFD(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	checkGradFD(t, []input{{[]int{5}, randn(r, 5, 3)}, {[]int{5}, randn(r, 5, 3)}}, func(in []*G.Node) (*G.Node, error) {
		return PointwiseBCE(in[0], in[1])
	})
}

func TestPointwiseBCEErrors(t *testing.T) {
	if _, err := PointwiseBCEValue([]float64{1, 2}, []float64{1}); err == nil {
		t.Fatal("length mismatch accepted")
	}
}
