package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

func rng() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func intTensor(data []int, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

func TestLinearValues(t *testing.T) {
	x := constF32([]float32{1, 2, 3, 4}, 2, 2)
	w := constF32([]float32{1, 0, 0, 1, 1, 1}, 3, 2)
	b := constF32([]float32{0.5, -0.5, 0}, 3)
	y, err := NewLinear(true).Forward([]*tensor.Dense{x, w, b}, false)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "y", f32(y), []float32{1.5, 1.5, 3, 3.5, 3.5, 7}, 1e-6)
}

func TestLinearGrad(t *testing.T) {
	r := rng()
	checkGrads(t, NewLinear(true), []*tensor.Dense{randF32(r, 1, 2, 3, 4), randF32(r, 1, 5, 4), randF32(r, 1, 5)}, 1e-2, 2e-3)
	checkGrads(t, NewLinear(false), []*tensor.Dense{randF32(r, 1, 3, 4), randF32(r, 1, 2, 4)}, 1e-2, 2e-3)
}

func TestBiasGELUValues(t *testing.T) {
	x := constF32([]float32{-3, -1, 0, 1, 2}, 1, 5)
	b := constF32([]float32{0, 0, 0, 0, 0.5}, 5)
	y, err := NewBiasGELU().Forward([]*tensor.Dense{x, b}, false)
	if err != nil {
		t.Fatal(err)
	}
	// Exact GELU: z·Φ(z) for z = -3, -1, 0, 1, 2.5.
	assertClose(t, "gelu", f32(y), []float32{-0.004049694, -0.15865526, 0, 0.8413447, 2.4844766}, 1e-6)
}

func TestBiasGELUGrad(t *testing.T) {
	r := rng()
	checkGrads(t, NewBiasGELU(), []*tensor.Dense{randF32(r, 3, 4, 6), randF32(r, 1, 6)}, 1e-2, 2e-3)
}

func TestLayerNormValues(t *testing.T) {
	x := constF32([]float32{1, 2, 3, 2, 2, 2}, 2, 3)
	g := constF32([]float32{1, 2, 1}, 3)
	b := constF32([]float32{0, 0, 1}, 3)
	y, err := NewLayerNorm(1e-12).Forward([]*tensor.Dense{x, g, b}, false)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "y", f32(y), []float32{-1.2247449, 0, 2.2247449, 0, 0, 1}, 1e-5)
}

func TestLayerNormGrad(t *testing.T) {
	r := rng()
	checkGrads(t, NewLayerNorm(1e-5), []*tensor.Dense{randF32(r, 2, 5, 8), randF32(r, 1, 8), randF32(r, 1, 8)}, 1e-2, 5e-3)
	checkGrads(t, NewAddLayerNorm(1e-5), []*tensor.Dense{randF32(r, 2, 3, 8), randF32(r, 2, 3, 8), randF32(r, 1, 8), randF32(r, 1, 8)}, 1e-2, 5e-3)
}

func TestAttentionValues(t *testing.T) {
	// One sequence of 3 tokens, one head of size 1, the last token padded.
	q := constF32([]float32{1, 0, 2}, 3, 1)
	k := constF32([]float32{0, 1, 5}, 3, 1)
	v := constF32([]float32{1, 3, 100}, 3, 1)
	mask := constF32([]float32{1, 1, 0}, 1, 3)
	c, err := NewAttention(1).Forward([]*tensor.Dense{q, k, v, mask}, false)
	if err != nil {
		t.Fatal(err)
	}
	// Row 0: scores (0, 1) → p = (0.2689, 0.7311) → 0.2689 + 3·0.7311.
	// Row 1: scores (0, 0) → 2. Row 2: scores (0, 2) → p = (0.1192, 0.8808).
	assertClose(t, "ctx", f32(c), []float32{2.4621172, 2, 2.7615942}, 1e-5)
}

func TestAttentionGrad(t *testing.T) {
	r := rng()
	mask := constF32([]float32{1, 1, 1, 0, 1, 1, 1, 1}, 2, 4)
	in := []*tensor.Dense{randF32(r, 1, 8, 6), randF32(r, 1, 8, 6), randF32(r, 1, 8, 6), mask}
	checkGrads(t, NewAttention(2), in, 1e-2, 3e-3)
}

func TestEmbeddingsGrad(t *testing.T) {
	r := rng()
	ids := intTensor([]int{3, 1, 3, 0, 2, 2}, 2, 3)
	in := []*tensor.Dense{ids, randF32(r, 1, 5, 4), randF32(r, 1, 4, 4), randF32(r, 1, 2, 4)}
	checkGrads(t, NewEmbeddings(), in, 1e-2, 1e-3)
	if _, err := NewEmbeddings().Forward([]*tensor.Dense{intTensor([]int{9}, 1, 1), in[1], in[2], in[3]}, false); err == nil {
		t.Error("out-of-vocabulary id: want an error")
	}
}

func TestL2NormalizeGrad(t *testing.T) {
	r := rng()
	checkGrads(t, NewL2Normalize(0), []*tensor.Dense{randF32(r, 1, 4, 5)}, 1e-3, 5e-3)
	y, _ := NewL2Normalize(0).Forward([]*tensor.Dense{constF32([]float32{3, 4}, 1, 2)}, false)
	assertClose(t, "y", f32(y), []float32{0.6, 0.8}, 1e-7)
}

func TestMaxSimValues(t *testing.T) {
	q := constF32([]float32{1, 0, 0, 1, 1, 1}, 3, 2) // one query, 3 tokens
	qm := constF32([]float32{1, 1, 0}, 1, 3)
	d := constF32([]float32{ // two docs of 2 tokens
		9, 9, 0, 0, // doc 0 (unused with offset 1)
		2, 1, 0.5, 3}, 4, 2)
	dm := constF32([]float32{1, 1, 1, 1}, 2, 2)
	s, err := NewMaxSim(1).Forward([]*tensor.Dense{q, qm, d, dm}, false)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "s", f32(s), []float32{2 + 3}, 1e-6)
	dm2 := constF32([]float32{1, 1, 1, 0}, 2, 2) // mask doc token (0.5, 3)
	s, _ = NewMaxSim(1).Forward([]*tensor.Dense{q, qm, d, dm2}, false)
	assertClose(t, "s masked", f32(s), []float32{2 + 1}, 1e-6)
}

func TestMaxSimGrad(t *testing.T) {
	r := rng()
	qm := constF32([]float32{1, 1, 1, 1, 0, 1}, 2, 3)
	dm := constF32([]float32{1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1}, 4, 4)
	in := []*tensor.Dense{randF32(r, 1, 6, 3), qm, randF32(r, 1, 16, 3), dm}
	checkGrads(t, NewMaxSim(2), in, 1e-3, 3e-3)
}

func TestSpladeMaxValues(t *testing.T) {
	h := constF32([]float32{1, 0, 0, 1, 5, 5}, 3, 2) // one sequence, last token padded
	e := constF32([]float32{2, 0, 0, -1, 1, 1}, 3, 2)
	c := constF32([]float32{0, 0, -0.5}, 3)
	mask := constF32([]float32{1, 1, 0}, 1, 3)
	w, err := NewSpladeMax(2).Forward([]*tensor.Dense{h, e, c, mask}, false)
	if err != nil {
		t.Fatal(err)
	}
	// z_j over real tokens: j0 (2, 0) → log 3; j1 (0, −1) → 0; j2 (0.5, 0.5) → log 1.5.
	assertClose(t, "w", f32(w), []float32{1.0986123, 0, 0.4054651}, 1e-6)
}

func TestSpladeMaxGrad(t *testing.T) {
	r := rng()
	mask := constF32([]float32{1, 1, 1, 0, 1, 1, 1, 1}, 2, 4)
	in := []*tensor.Dense{randF32(r, 1, 8, 4), randF32(r, 1, 11, 4), randF32(r, 0.5, 11), mask}
	checkGrads(t, NewSpladeMax(3), in, 1e-3, 3e-3)
}

func TestPairDotGrad(t *testing.T) {
	r := rng()
	checkGrads(t, NewPairDot(1), []*tensor.Dense{randF32(r, 1, 2, 5), randF32(r, 1, 4, 5)}, 1e-2, 1e-3)
}

// PairDot sums a SPLADE-sized score (30,522 positive terms, as early in
// training when the vectors are dense) to float32 round-off of the exact sum.
func TestPairDotSumsAccurately(t *testing.T) {
	const V = 30522
	a, da := newF32(1, V)
	c, dc := newF32(1, V)
	var exact float64
	for j := range V {
		da[j], dc[j] = 0.3+float32(j%97)*1e-3, 0.7-float32(j%89)*1e-3
		exact += float64(da[j]) * float64(dc[j])
	}
	s, err := NewPairDot(0).Forward([]*tensor.Dense{a, c}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := float64(f32(s)[0]); math.Abs(got-exact) > 1e-7*exact {
		t.Errorf("PairDot = %v, exact %v (relative error %.2g)", got, exact, math.Abs(got-exact)/exact)
	}
}
