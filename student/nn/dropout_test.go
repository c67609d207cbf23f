package nn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gorgonia.org/tensor"
)

func TestDropout(t *testing.T) {
	const n, p = 100000, 0.1
	r := rand.New(rand.NewPCG(1, 2))
	x := randF32(r, 1, 100, n/100)
	clock := &DropoutClock{Seed: 42}
	d := NewDropout(p, clock, 3)

	// Inference is the identity.
	y, err := d.Forward([]*tensor.Dense{x}, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range f32(y) {
		if v != f32(x)[i] {
			t.Fatalf("inference y[%d] = %v, want x = %v", i, v, f32(x)[i])
		}
	}

	// Training: each element is 0 or x/(1−p); about a fraction p are 0.
	clock.SetStep(7)
	y, err = d.Forward([]*tensor.Dense{x}, true)
	if err != nil {
		t.Fatal(err)
	}
	scale := float32(1 / (1 - p))
	dropped := 0
	mask := make([]bool, n)
	for i, v := range f32(y) {
		switch v {
		case 0:
			dropped++
		case f32(x)[i] * scale:
			mask[i] = true
		default:
			t.Fatalf("training y[%d] = %v, want 0 or %v", i, v, f32(x)[i]*scale)
		}
	}
	if sd := math.Sqrt(n * p * (1 - p)); math.Abs(float64(dropped)-n*p) > 5*sd {
		t.Errorf("dropped %d of %d, want %.0f ± %.0f", dropped, n, n*p, 5*sd)
	}

	// Backward routes dy through the same mask and scale.
	dy := randF32(r, 1, 100, n/100)
	g, err := d.Backward([]*tensor.Dense{x}, y, dy)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range f32(g[0]) {
		want := float32(0)
		if mask[i] {
			want = f32(dy)[i] * scale
		}
		if v != want {
			t.Fatalf("dx[%d] = %v, want %v", i, v, want)
		}
	}

	// The mask is a function of (seed, step, site): the same step again
	// (a resumed run) draws it again; another step or site does not.
	same := func(k *Dropout, step int) bool {
		k.Clock.SetStep(step)
		z, err := k.Forward([]*tensor.Dense{x}, true)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range f32(z) {
			if (v != 0) != mask[i] {
				return false
			}
		}
		return true
	}
	if !same(NewDropout(p, clock, 3), 7) {
		t.Error("step 7, site 3 drew a different mask the second time")
	}
	for _, procs := range []int{1, 3} { // blocks of the mask drawn on any CPU
		prev := runtime.GOMAXPROCS(procs)
		ok := same(NewDropout(p, clock, 3), 7)
		runtime.GOMAXPROCS(prev)
		if !ok {
			t.Errorf("GOMAXPROCS=%d drew another mask", procs)
		}
	}
	if same(NewDropout(p, clock, 3), 8) || same(NewDropout(p, clock, 4), 7) ||
		same(NewDropout(p, &DropoutClock{Seed: 43}, 3), 7) {
		t.Error("another step, site or seed drew the same mask")
	}
	if _, err := NewDropout(1, clock, 1).OutShape([]tensor.Shape{{2, 3}}); err == nil {
		t.Error("dropout probability 1 accepted")
	}
}
