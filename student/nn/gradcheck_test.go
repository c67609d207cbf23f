package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// randF32 returns a float32 tensor with entries uniform in [-scale, scale).
func randF32(r *rand.Rand, scale float32, shape ...int) *tensor.Dense {
	t, d := newF32(shape...)
	for i := range d {
		d[i] = (2*r.Float32() - 1) * scale
	}
	return t
}

// constF32 returns a float32 tensor holding data.
func constF32(data []float32, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

// projLoss returns L = Σ_i R_i·out_i in float64.
func projLoss(out *tensor.Dense, r []float32) float64 {
	var s float64
	for i, v := range f32(out) {
		s += float64(v) * float64(r[i])
	}
	return s
}

// checkGrads compares k's analytic input gradients with central finite
// differences of L = Σ R⊙Forward(in) for every element of every
// differentiable input. Differences are taken in float32 with step h and
// accepted when |analytic − numeric| ≤ tol·(1 + |numeric|).
func checkGrads(t *testing.T, k Kernel, in []*tensor.Dense, h, tol float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	out, err := k.Forward(in, true)
	if err != nil {
		t.Fatalf("%s forward: %v", k.Name(), err)
	}
	R := f32(randF32(r, 1, out.Shape()...))
	dOut := constF32(append([]float32(nil), R...), out.Shape()...)
	grads, err := k.Backward(in, out, dOut)
	if err != nil {
		t.Fatalf("%s backward: %v", k.Name(), err)
	}
	for i, diff := range k.DiffWRT() {
		if !diff {
			if grads[i] != nil {
				t.Errorf("%s: input %d is not differentiable but has a gradient", k.Name(), i)
			}
			continue
		}
		if !grads[i].Shape().Eq(in[i].Shape()) {
			t.Fatalf("%s: gradient %d has shape %v, want %v", k.Name(), i, grads[i].Shape(), in[i].Shape())
		}
		x, g := f32(in[i]), f32(grads[i])
		var worst float64
		for j := range x {
			orig := x[j]
			x[j] = orig + float32(h)
			op, _ := k.Forward(in, false)
			x[j] = orig - float32(h)
			om, _ := k.Forward(in, false)
			x[j] = orig
			num := (projLoss(op, R) - projLoss(om, R)) / (2 * h)
			e := math.Abs(float64(g[j])-num) / (1 + math.Abs(num))
			worst = math.Max(worst, e)
			if e > tol {
				t.Errorf("%s: ∂L/∂in%d[%d] = %.6g, finite difference %.6g", k.Name(), i, j, g[j], num)
			}
		}
		t.Logf("%s input %d: worst relative error %.2g over %d elements", k.Name(), i, worst, len(x))
	}
}

func assertClose(t *testing.T, name string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		// Not ≤ rather than >, so that a NaN (e.g. from the NaN-filled
		// buffers of TestApplyRunsReuseBuffers) is never close.
		if !(math.Abs(float64(got[i]-want[i])) <= tol) {
			t.Errorf("%s[%d] = %.7g, want %.7g", name, i, got[i], want[i])
		}
	}
}
