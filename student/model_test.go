package student

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func tinyEncoder() EncoderConfig {
	return EncoderConfig{VocabSize: 50, Hidden: 8, Layers: 2, Heads: 2, FFN: 16,
		MaxPosition: 16, TypeVocabSize: 2, LayerNormEps: 1e-12}
}

func tinyColBERT() ColBERTConfig {
	c := DefaultColBERT(tinyEncoder())
	c.Dim, c.QueryLength, c.MaskID, c.SkipIDs = 4, 6, 3, []int32{7}
	return c
}

// tinyBatch is two triples: queries of up to 4 tokens, documents of up to 5
// (id 4 = [CLS], 5 = [SEP], 7 = punctuation).
func tinyBatch() *TripleBatch {
	return &TripleBatch{
		QueryIDs:  [][]int32{{4, 10, 11, 5}, {4, 12, 5, 0}},
		QueryMask: [][]int32{{1, 1, 1, 1}, {1, 1, 1, 0}},
		PosIDs:    [][]int32{{4, 10, 7, 11, 5}, {4, 12, 13, 5, 0}},
		PosMask:   [][]int32{{1, 1, 1, 1, 1}, {1, 1, 1, 1, 0}},
		NegIDs:    [][]int32{{4, 20, 21, 5, 0}, {4, 12, 7, 22, 5}},
		NegMask:   [][]int32{{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}},
	}
}

// scaleWeights multiplies every parameter with more than one dimension by
// f, so that a tiny model is far from the near-linear regime of BERT's
// 0.02 initialisation.
func scaleWeights(m Model, f float32) {
	for _, p := range m.Params() {
		if p.Node.Dims() > 1 {
			d := p.Node.Value().Data().([]float32)
			for i := range d {
				d[i] *= f
			}
		}
	}
}

// marginLoss builds mean(((sPos − sNeg) − m)²), a local Margin-MSE.
func marginLoss(t *testing.T, g *gorgonia.ExprGraph, sPos, sNeg *gorgonia.Node, margins []float32) *gorgonia.Node {
	t.Helper()
	m := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(len(margins)), gorgonia.WithName("margins"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(len(margins)), tensor.WithBacking(margins))))
	d := gorgonia.Must(gorgonia.Sub(gorgonia.Must(gorgonia.Sub(sPos, sNeg)), m))
	return gorgonia.Must(gorgonia.Mean(gorgonia.Must(gorgonia.HadamardProd(d, d))))
}

// trainGraph builds the loss and gradients of m on the tiny batch.
func trainGraph(t *testing.T, g *gorgonia.ExprGraph, m Model, margins []float32) (loss, sPos, sNeg *gorgonia.Node, vm gorgonia.VM) {
	t.Helper()
	sPos, sNeg, _, err := m.ScoreTriples(tinyBatch())
	if err != nil {
		t.Fatal(err)
	}
	loss = marginLoss(t, g, sPos, sNeg, margins)
	if _, err := gorgonia.Grad(loss, Nodes(m.Params())...); err != nil {
		t.Fatal(err)
	}
	return loss, sPos, sNeg, gorgonia.NewTapeMachine(g)
}

func run(t *testing.T, vm gorgonia.VM) {
	t.Helper()
	vm.Reset()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
}

func scalar(n *gorgonia.Node) float64 {
	switch v := n.Value().(type) {
	case *gorgonia.F32:
		return float64(*v)
	case *tensor.Dense:
		return float64(v.Data().([]float32)[0])
	}
	panic("not a float32 scalar")
}

// lossAround returns the loss with x[j] moved by +h and by −h, restoring it.
func lossAround(t *testing.T, vm gorgonia.VM, loss *gorgonia.Node, x []float32, j int, h float32) (lp, lm float64) {
	t.Helper()
	orig := x[j]
	x[j] = orig + h
	run(t, vm)
	lp = scalar(loss)
	x[j] = orig - h
	run(t, vm)
	lm = scalar(loss)
	x[j] = orig
	return lp, lm
}

// gradOf returns a copy of a parameter's gradient after a run, and its
// values (the model's own slice, to perturb).
func gradOf(t *testing.T, p Param) (grad, x []float32) {
	t.Helper()
	gv, err := p.Node.Grad()
	if err != nil {
		t.Fatalf("%s: %v", p.Name, err)
	}
	return append([]float32(nil), gv.Data().([]float32)...), p.Node.Value().Data().([]float32)
}

// gradCheck is a finite-difference check: run compares the gradient of the
// entries picks chooses in each parameter (given its name and size) with
// the central finite difference of the loss, h = 1e-3, to relative error
// tol. With kinks, the loss is
// piecewise smooth (MaxSim, SPLADE's max and its ReLU): an entry whose
// forward and backward differences from the loss l0 disagree sits on a kink
// and is skipped and counted.
type gradCheck struct {
	tol   float64
	kinks bool
	l0    float64
}

// run checks params and returns the entries checked and skipped on kinks.
func (c gradCheck) run(t *testing.T, vm gorgonia.VM, loss *gorgonia.Node, params []Param, picks func(name string, n int) []int) (checked, kinks int) {
	t.Helper()
	const h = 1e-3
	worst := 0.0
	for _, p := range params {
		grad, x := gradOf(t, p)
		for _, j := range picks(p.Name, len(x)) {
			lp, lm := lossAround(t, vm, loss, x, j, h)
			if fwd, bwd := (lp-c.l0)/h, (c.l0-lm)/h; c.kinks && math.Abs(fwd-bwd) > 0.01+0.02*(math.Abs(fwd)+math.Abs(bwd)) {
				kinks++
				continue
			}
			num := (lp - lm) / (2 * h)
			e := math.Abs(float64(grad[j])-num) / (0.1 + math.Abs(num))
			worst = math.Max(worst, e)
			if e > c.tol {
				t.Errorf("%s[%d]: gradient %.6g, finite difference %.6g", p.Name, j, grad[j], num)
			}
			checked++
		}
	}
	t.Logf("%d parameters: checked %d entries, skipped %d on kinks; worst relative error %.2g", len(params), checked, kinks, worst)
	return checked, kinks
}

// checkSmoothGrads checks the gradients of a smooth loss to 2% (gradCheck).
func checkSmoothGrads(t *testing.T, vm gorgonia.VM, loss *gorgonia.Node, params []Param, picks func(name string, n int) []int) {
	t.Helper()
	gradCheck{tol: 0.02}.run(t, vm, loss, params, picks)
}

// checkModelGrads checks perParam random entries of every parameter of a
// model's triple loss to 5%, skipping kinks (gradCheck); most entries must
// be smooth.
func checkModelGrads(t *testing.T, g *gorgonia.ExprGraph, m Model, perParam int, margins []float32) {
	loss, _, _, vm := trainGraph(t, g, m, margins)
	defer vm.Close()
	run(t, vm)
	r := rand.New(rand.NewPCG(3, 4))
	picks := func(name string, n int) []int {
		js := make([]int, perParam)
		for i := range js {
			js[i] = r.IntN(n)
			if name == wordEmbeddings { // rows of tokens in the batch
				ids := []int{1, 2, 3, 4, 5, 10, 11, 12, 13, 20, 21, 22}
				js[i] = ids[r.IntN(len(ids))]*8 + r.IntN(8)
			}
		}
		return js
	}
	checked, kinks := gradCheck{tol: 0.05, kinks: true, l0: scalar(loss)}.run(t, vm, loss, m.Params(), picks)
	if kinks > checked/5 {
		t.Errorf("%d of %d entries on kinks: the check is too weak", kinks, checked+kinks)
	}
}

func TestColBERTGradients(t *testing.T) {
	g := gorgonia.NewGraph()
	m, err := NewColBERT(g, tinyColBERT(), 1)
	if err != nil {
		t.Fatal(err)
	}
	scaleWeights(m, 5)
	checkModelGrads(t, g, m, 3, []float32{4, -3})
}

func TestSPLADEGradients(t *testing.T) {
	g := gorgonia.NewGraph()
	m, err := NewSPLADE(g, DefaultSPLADE(tinyEncoder()), 1)
	if err != nil {
		t.Fatal(err)
	}
	m.cfg.Tile = 16 // several tiles over the 50-token vocabulary
	scaleWeights(m, 10)
	checkModelGrads(t, g, m, 3, []float32{4, -3})
}
