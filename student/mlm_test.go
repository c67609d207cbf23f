package student

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
)

// tinyMLMBatch is two sequences of width 6 ([CLS] = 4, [SEP] = 5, [MASK] =
// 3), the second padded, with four prediction slots, the last unused.
func tinyMLMBatch() *MLMBatch {
	return &MLMBatch{
		IDs:       [][]int32{{4, 10, 3, 5, 20, 5}, {4, 3, 12, 5, 0, 0}},
		TypeIDs:   [][]int32{{0, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, 0}},
		Mask:      [][]int32{{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}},
		Positions: []int{2, 4, 7, 0},
		Targets:   []int32{11, 20, 13, -1},
	}
}

func tinyMaskedLM(t *testing.T, g *gorgonia.ExprGraph) *MaskedLM {
	t.Helper()
	m, err := NewMaskedLM(g, tinyEncoder(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() { // away from the near-linear 0.02 regime
		if p.Node.Dims() > 1 {
			d := p.Node.Value().Data().([]float32)
			for i := range d {
				d[i] *= 5
			}
		}
	}
	return m
}

// TestMaskedLMGradients checks two entries of every parameter's gradient
// (the tied word embeddings: a row in the input and a target row) against
// central finite differences of the graph's loss, and that the eager
// EvalLoss equals the graph's loss.
func TestMaskedLMGradients(t *testing.T) {
	g := gorgonia.NewGraph()
	m := tinyMaskedLM(t, g)
	loss, _, err := m.Loss(tinyMLMBatch())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gorgonia.Grad(loss, Nodes(m.Params())...); err != nil {
		t.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	run(t, vm)
	l0 := scalar(loss)
	ev, err := m.EvalLoss(tinyMLMBatch())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ev-l0) > 1e-5 {
		t.Errorf("EvalLoss %.7g, graph loss %.7g", ev, l0)
	}
	if l0 < 0.5 {
		t.Fatalf("loss %.4g: the check needs a model far from fitting the targets", l0)
	}
	r := rand.New(rand.NewPCG(8, 9))
	H := tinyEncoder().Hidden
	checkSmoothGrads(t, vm, loss, m.Params(), func(name string, n int) []int {
		picks := []int{r.IntN(n), r.IntN(n)}
		switch name {
		case wordEmbeddings:
			picks = []int{10*H + r.IntN(H), 13*H + r.IntN(H), 30*H + r.IntN(H)} // input, target, neither
		case "bert.embeddings.token_type_embeddings.weight":
			picks = []int{r.IntN(H), H + r.IntN(H)}
		}
		return picks
	})
}

// TestMaskedLMUnusedSlotsAndFeed checks that an unused slot's position does
// not matter, that Feed rebinds a batch, and that SPLADE takes a MaskedLM's
// weights whole.
func TestMaskedLMUnusedSlotsAndFeed(t *testing.T) {
	g := gorgonia.NewGraph()
	m := tinyMaskedLM(t, g)
	a, err := m.EvalLoss(tinyMLMBatch())
	if err != nil {
		t.Fatal(err)
	}
	b := tinyMLMBatch()
	b.Positions[3] = 9
	if c, err := m.EvalLoss(b); err != nil || c != a {
		t.Errorf("moving an unused slot changed the loss: %v → %v (%v)", a, c, err)
	}
	loss, aux, err := m.Loss(tinyMLMBatch())
	if err != nil {
		t.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	b.Targets[0] = 12
	want, err := m.EvalLoss(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := aux.Feed(b); err != nil {
		t.Fatal(err)
	}
	run(t, vm)
	if got := scalar(loss); math.Abs(got-want) > 1e-5 || want == a {
		t.Errorf("fed batch: graph loss %.7g, EvalLoss %.7g (first batch %.7g)", got, want, a)
	}
	bad := tinyMLMBatch()
	bad.Targets[1] = 50
	if _, err := m.EvalLoss(bad); err == nil {
		t.Error("a target outside the vocabulary was accepted")
	}
	w := Weights(m.Params())
	sp, err := NewSPLADE(gorgonia.NewGraph(), DefaultSPLADE(tinyEncoder()), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sp.LoadWeights(w, true); err != nil {
		t.Errorf("SPLADE from a MaskedLM's weights: %v", err)
	}
}
