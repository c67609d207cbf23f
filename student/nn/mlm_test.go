package nn

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"
)

func TestGatherRowsValuesAndGrad(t *testing.T) {
	x := constF32([]float32{1, 2, 3, 4, 5, 6}, 3, 2)
	idx := intTensor([]int{2, 0, 2}, 3)
	y, err := NewGatherRows().Forward([]*tensor.Dense{x, idx}, false)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "y", f32(y), []float32{5, 6, 1, 2, 5, 6}, 0)
	g, err := NewGatherRows().Backward([]*tensor.Dense{x, idx}, y, constF32([]float32{1, 1, 10, 10, 100, 100}, 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	// Row 2 is picked twice: its gradient is the sum; row 1 never: 0.
	assertClose(t, "dx", f32(g[0]), []float32{10, 10, 0, 0, 101, 101}, 0)
	r := rng()
	checkGrads(t, NewGatherRows(), []*tensor.Dense{randF32(r, 1, 5, 3), intTensor([]int{4, 1, 1, 0}, 4)}, 1e-2, 1e-3)
	if _, err := NewGatherRows().Forward([]*tensor.Dense{x, intTensor([]int{3}, 1)}, false); err == nil {
		t.Error("an index past the last row was accepted")
	}
}

// mlmReference computes the mean cross-entropy of the used slots in float64.
func mlmReference(h, e, c []float32, targets []int, H, V int) []float64 {
	n := 0
	for _, t := range targets {
		if t >= 0 {
			n++
		}
	}
	out := make([]float64, len(targets))
	for m, t := range targets {
		if t < 0 {
			continue
		}
		z := make([]float64, V)
		mx := math.Inf(-1)
		for j := range V {
			z[j] = float64(c[j])
			for i := range H {
				z[j] += float64(h[m*H+i]) * float64(e[j*H+i])
			}
			mx = math.Max(mx, z[j])
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v - mx)
		}
		out[m] = (mx + math.Log(s) - z[t]) / float64(n)
	}
	return out
}

func TestMLMCrossEntropyValues(t *testing.T) {
	r := rng()
	const M, H, V = 5, 4, 11
	h, e, c := randF32(r, 1, M, H), randF32(r, 1, V, H), randF32(r, 1, V)
	targets := []int{3, -1, 0, 10, -1} // two unused slots, one of them last
	out, err := NewMLMCrossEntropy().Forward([]*tensor.Dense{h, e, c, intTensor(targets, M)}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := mlmReference(f32(h), f32(e), f32(c), targets, H, V)
	var sum float64
	for m, v := range f32(out) {
		if math.Abs(float64(v)-want[m]) > 1e-6 {
			t.Errorf("ℓ[%d] = %.7g, want %.7g", m, v, want[m])
		}
		sum += float64(v)
	}
	// Uniform logits give log V per slot, whatever the target.
	zero := constF32(make([]float32, M*H), M, H)
	out, err = NewMLMCrossEntropy().Forward([]*tensor.Dense{zero, e, constF32(make([]float32, V), V), intTensor(targets, M)}, false)
	if err != nil {
		t.Fatal(err)
	}
	sum = 0
	for _, v := range f32(out) {
		sum += float64(v)
	}
	if math.Abs(sum-math.Log(V)) > 1e-6 {
		t.Errorf("uniform logits: mean loss %.7g, want log %d = %.7g", sum, V, math.Log(V))
	}
}

func TestMLMCrossEntropyGrad(t *testing.T) {
	r := rng()
	const M, H, V = 4, 3, 7
	// Large logits (scale 2 with H = 3) exercise the max-shifted softmax.
	in := []*tensor.Dense{randF32(r, 2, M, H), randF32(r, 2, V, H), randF32(r, 1, V), intTensor([]int{6, -1, 2, 2}, M)}
	checkGrads(t, NewMLMCrossEntropy(), in, 1e-2, 2e-3)
}

func TestMLMCrossEntropyErrors(t *testing.T) {
	r := rng()
	h, e, c := randF32(r, 1, 2, 3), randF32(r, 1, 5, 3), randF32(r, 1, 5)
	k := NewMLMCrossEntropy()
	if _, err := k.Forward([]*tensor.Dense{h, e, c, intTensor([]int{5, 0}, 2)}, true); err == nil {
		t.Error("a target outside the vocabulary was accepted")
	}
	if _, err := k.OutShape([]tensor.Shape{{2, 3}, {5, 3}, {5}, {3}}); err == nil {
		t.Error("targets of another length than h were accepted")
	}
	k = NewMLMCrossEntropy()
	in := []*tensor.Dense{h, e, c, intTensor([]int{1, 4}, 2)}
	out, err := k.Forward(in, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Backward(in, out, constF32([]float32{1, 1}, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Backward(in, out, constF32([]float32{1, 1}, 2)); !errors.Is(err, ErrNoForward) {
		t.Errorf("a second Backward without a forward pass: %v, want ErrNoForward", err)
	}
	// No used slot: the loss and every gradient are 0.
	none := []*tensor.Dense{h, e, c, intTensor([]int{-1, -1}, 2)}
	out, err = k.Forward(none, true)
	if err != nil {
		t.Fatal(err)
	}
	g, err := k.Backward(none, out, constF32([]float32{1, 1}, 2))
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range g[:3] {
		for _, v := range f32(d) {
			if v != 0 {
				t.Fatalf("no used slot: gradient %d has %v", i, v)
			}
		}
	}
}
