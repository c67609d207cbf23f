package nn

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestEngineAddMatchesStandard checks Engine.Add against the standard
// engine bit for bit, for every way gorgonia calls it (a reuse tensor, in
// place, a new tensor), at sizes on both sides of the parallel threshold.
func TestEngineAddMatchesStandard(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{7, minParallelAdd, 3*minParallelAdd + 5} {
			r := rng()
			a, b := randF32(r, 1, n), randF32(r, 1e3, n)
			want := make([]float32, n)
			for i := range want {
				want[i] = f32(a)[i] + f32(b)[i]
			}
			for _, mode := range []string{"reuse", "unsafe", "safe"} {
				x, y := a.Clone().(*tensor.Dense), b.Clone().(*tensor.Dense)
				var opts []tensor.FuncOpt
				reuse := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(n))
				switch mode {
				case "reuse":
					opts = append(opts, tensor.WithReuse(reuse))
				case "unsafe":
					opts = append(opts, tensor.UseUnsafe())
				}
				got, err := Engine{}.Add(x, y, opts...)
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("GOMAXPROCS=%d n=%d %s", procs, n, mode)
				switch {
				case mode == "reuse" && got != tensor.Tensor(reuse):
					t.Fatalf("%s: the result is not the reuse tensor", name)
				case mode == "unsafe" && got != tensor.Tensor(x):
					t.Fatalf("%s: the result is not the first operand", name)
				case mode == "safe" && got.(*tensor.Dense) == x:
					t.Fatalf("%s: the first operand was overwritten", name)
				}
				if mode != "unsafe" && !identical(f32(x), f32(a)) {
					t.Fatalf("%s: the first operand changed", name)
				}
				if g := f32(got.(*tensor.Dense)); !identical(g, want) {
					t.Fatalf("%s: sum differs from the serial loop", name)
				}
			}
		}
	}
}

// TestNewMachineGradientsIdentical differentiates a graph whose input feeds
// several kernels (so gorgonia adds gradients up) on NewMachine at several
// GOMAXPROCS and on gorgonia's standard machine: the gradients are equal
// bit for bit.
func TestNewMachineGradientsIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	r := rng()
	xv, w1, w2, w3 := randF32(r, 1, 256, 192), randF32(r, 1, 192, 192), randF32(r, 1, 192, 192), randF32(r, 1, 192, 192)
	run := func(machine func(*gorgonia.ExprGraph) gorgonia.VM) []float32 {
		g := gorgonia.NewGraph()
		in := func(name string, v *tensor.Dense) *gorgonia.Node {
			return gorgonia.NewTensor(g, tensor.Float32, v.Dims(), gorgonia.WithShape(v.Shape()...),
				gorgonia.WithName(name), gorgonia.WithValue(v.Clone()))
		}
		x := in("x", xv)
		sum := x
		for i, w := range []*tensor.Dense{w1, w2, w3} {
			y, err := Apply(NewLinear(false), x, in(fmt.Sprintf("w%d", i), w))
			if err != nil {
				t.Fatal(err)
			}
			sum = gorgonia.Must(gorgonia.Add(sum, y))
		}
		loss := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Square(sum))))
		grads, err := gorgonia.Grad(loss, x)
		if err != nil {
			t.Fatal(err)
		}
		vm := machine(g)
		defer vm.Close()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), f32(grads[0].Value().(*tensor.Dense))...)
	}
	runtime.GOMAXPROCS(1)
	want := run(func(g *gorgonia.ExprGraph) gorgonia.VM { return gorgonia.NewTapeMachine(g) })
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		SetTiming(true)
		got := run(func(g *gorgonia.ExprGraph) gorgonia.VM { return NewMachine(g) })
		sums := 0
		for _, k := range Timings() {
			if k.Pass == "sum" {
				sums += k.Calls
			}
		}
		SetTiming(false)
		if sums < 3 {
			t.Fatalf("GOMAXPROCS=%d: %d sums ran on Engine, want the 3 forward sums and the gradient sums", procs, sums)
		}
		if !identical(got, want) {
			t.Fatalf("GOMAXPROCS=%d: gradient differs from the standard machine's", procs)
		}
	}
}

func identical(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
