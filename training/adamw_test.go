package training

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/student"
)

// randomGrads returns slices of the given lengths with normal values of
// spread sd and, when zeros, every seventh value 0.
func randomGrads(r *rand.Rand, lens []int, sd float64, zeros bool) [][]float32 {
	xs := make([][]float32, len(lens))
	for i, n := range lens {
		xs[i] = make([]float32, n)
		for j := range xs[i] {
			if !zeros || j%7 != 0 {
				xs[i][j] = float32(r.NormFloat64() * sd)
			}
		}
	}
	return xs
}

// cloneAll returns a deep copy of xs.
func cloneAll(xs [][]float32) [][]float32 {
	ys := make([][]float32, len(xs))
	for i, x := range xs {
		ys[i] = slices.Clone(x)
	}
	return ys
}

// twoPassStep is the optimizer step before the clip scale moved into
// AdamW: the gradients scaled in place by f (when clipping), then the
// update from the scaled gradients.
func twoPassStep(params, grads, m, v [][]float32, decay []bool, b1, b2, eps, wd, lr float64, step int, f float32) {
	if f != 1 {
		for _, g := range grads {
			for j := range g {
				g[j] *= f
			}
		}
	}
	bc1, bc2 := 1-math.Pow(b1, float64(step)), 1-math.Pow(b2, float64(step))
	fb1, fb2 := float32(b1), float32(b2)
	stepSize, sqrtBC2, e, d := float32(lr/bc1), float32(math.Sqrt(bc2)), float32(eps), float32(1-lr*wd)
	for i, p := range params {
		for j := range p {
			if decay[i] && wd != 0 {
				p[j] *= d
			}
			m[i][j] = float32(fb1*m[i][j]) + float32((1-fb1)*grads[i][j]) // no FMA, as adamwBlockGo
			v[i][j] = float32(fb2*v[i][j]) + float32((1-fb2)*grads[i][j]*grads[i][j])
			den := float32(math.Sqrt(float64(v[i][j])))/sqrtBC2 + e
			p[j] -= stepSize * m[i][j] / den
		}
	}
}

// TestAdamWFusedClipMatchesTwoPass checks that Update with ClipScale's
// factor gives the same bits as scaling the gradients first and updating
// after, over three steps, with and without clipping and decay, on lengths
// around the vector width and the block size, and that it leaves the
// gradients as they were.
func TestAdamWFusedClipMatchesTwoPass(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 1))
	lens := []int{1, 7, 8, 9, 31, blockSize + 13}
	names := []string{"a", "b", "c", "d", "e", "f"}
	decay := []bool{true, false, true, false, true, true}
	for _, tc := range []struct {
		name         string
		maxNorm, wd  float64
		sd, paramsSD float64
	}{{"clipped", 1, 0.01, 1, 0.5}, {"unclipped", 1e9, 0.01, 1e-3, 0.5}, {"no clipping, no decay", 0, 0, 0.1, 2}} {
		params := randomGrads(r, lens, tc.paramsSD, false)
		want := cloneAll(params)
		m, v := randomGrads(r, lens, 0, false), randomGrads(r, lens, 0, false)
		o := NewAdamW(names, lens, decay, 0.9, 0.999, 1e-8, tc.wd)
		for step := 1; step <= 3; step++ {
			grads := randomGrads(r, lens, tc.sd, true)
			before := cloneAll(grads)
			f := ClipScale(GlobalNorm(grads), tc.maxNorm)
			if clips := f != 1; clips != (tc.name == "clipped") {
				t.Fatalf("%s: clip scale %v", tc.name, f)
			}
			o.Update(params, grads, 1e-3, f)
			for i := range grads {
				if !slices.Equal(grads[i], before[i]) {
					t.Fatalf("%s: Update changed the gradients of %s", tc.name, names[i])
				}
			}
			twoPassStep(want, grads, m, v, decay, 0.9, 0.999, 1e-8, tc.wd, 1e-3, step, f)
			for i := range params {
				for j := range params[i] {
					if math.Float32bits(params[i][j]) != math.Float32bits(want[i][j]) ||
						math.Float32bits(o.m[i][j]) != math.Float32bits(m[i][j]) || math.Float32bits(o.v[i][j]) != math.Float32bits(v[i][j]) {
						t.Fatalf("%s, step %d, %s[%d]: θ m v = %g %g %g, two passes give %g %g %g", tc.name, step, names[i], j,
							params[i][j], o.m[i][j], o.v[i][j], want[i][j], m[i][j], v[i][j])
					}
				}
			}
		}
	}
}

// TestOptimizerKernelsAgree checks that the kernels in use (AVX2: C in the
// cgo build, assembly in the pure-Go build) give the bits of the Go loops,
// on lengths around the vector width, with zeros, tiny and huge values.
func TestOptimizerKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2))
	for _, n := range []int{0, 1, 5, 8, 15, 16, 17, 1000, 4099} {
		for _, sd := range []float64{1e-20, 1e-3, 1, 1e15} {
			g := randomGrads(r, []int{n}, sd, true)[0]
			if a, b := sumSquares(g), sumSquaresGo(g); math.Float64bits(a) != math.Float64bits(b) {
				t.Fatalf("n %d, sd %g: Σg² = %v in use, %v in Go", n, sd, a, b)
			}
			var exact float64
			for _, x := range g {
				exact += float64(x) * float64(x)
			}
			if got := sumSquaresGo(g); math.Abs(got-exact) > 1e-14*exact {
				t.Fatalf("n %d, sd %g: Σg² = %v, sequential sum %v", n, sd, got, exact)
			}
			for _, decay := range []bool{false, true} {
				p := randomGrads(r, []int{n}, 1, false)[0]
				m, v := randomGrads(r, []int{n}, sd/10, false)[0], randomGrads(r, []int{n}, 0, false)[0]
				for j := range v {
					v[j] = m[j] * m[j]
				}
				k := adamwStep{b1: 0.9, c1: 1 - float32(0.9), b2: 0.999, c2: 1 - float32(0.999), stepSize: 3e-4, sqrtBC2: 0.0447,
					eps: 1e-8, decay: 0.99999, scale: 0.37}
				pGo, mGo, vGo := slices.Clone(p), slices.Clone(m), slices.Clone(v)
				adamwBlock(p, g, m, v, &k, decay)
				adamwBlockGo(pGo, g, mGo, vGo, &k, decay)
				for j := range p {
					if math.Float32bits(p[j]) != math.Float32bits(pGo[j]) || math.Float32bits(m[j]) != math.Float32bits(mGo[j]) ||
						math.Float32bits(v[j]) != math.Float32bits(vGo[j]) {
						t.Fatalf("n %d, sd %g, decay %v, [%d]: θ m v = %g %g %g in use, %g %g %g in Go", n, sd, decay, j,
							p[j], m[j], v[j], pGo[j], mGo[j], vGo[j])
					}
				}
			}
		}
	}
}

// BenchmarkOptimizer times the optimizer's part of a training step on the
// parameters of the student ColBERT (30522-token vocabulary, hidden 256, 4
// layers): the norm of the gradients and the AdamW update with clipping,
// as two passes before the update (sequential norm, scaling; "two-pass") and
// as the norm plus the update that scales ("fused"). -cpu 1,2 varies the
// threads.
func BenchmarkOptimizer(b *testing.B) {
	m, err := student.NewColBERT(gorgonia.NewGraph(), student.DefaultColBERT(student.StudentEncoder()), 1)
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	var lens []int
	var decay []bool
	for _, p := range m.Params() {
		names, lens, decay = append(names, p.Name), append(lens, p.Node.Shape().TotalSize()), append(decay, p.Node.Dims() > 1)
	}
	r := rand.New(rand.NewPCG(9, 3))
	params, grads := randomGrads(r, lens, 0.05, false), randomGrads(r, lens, 1, false)
	mom, vel := randomGrads(r, lens, 0, false), randomGrads(r, lens, 0, false)
	o := NewAdamW(names, lens, decay, 0.9, 0.999, 1e-8, 0.01)
	n := 0
	for _, l := range lens {
		n += l
	}
	b.Run("two-pass", func(b *testing.B) {
		b.SetBytes(int64(n) * 4)
		for i := range b.N {
			var sum float64
			for _, g := range grads {
				for _, x := range g {
					sum += float64(x) * float64(x)
				}
			}
			twoPassStep(params, grads, mom, vel, decay, 0.9, 0.999, 1e-8, 0.01, 1e-4, i+1, ClipScale(math.Sqrt(sum), 1))
		}
	})
	b.Run("fused", func(b *testing.B) {
		b.SetBytes(int64(n) * 4)
		for range b.N {
			o.Update(params, grads, 1e-4, ClipScale(GlobalNorm(grads), 1))
		}
	})
}
