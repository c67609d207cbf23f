package losses

import (
	"errors"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Hand-computed case, B = 3:
//
//	student margins s⁺ − s⁻ = [3−1, 1−2, 0.5−0.5] = [2, −1, 0]
//	teacher margins t⁺ − t⁻ = [5−2, 0−1, 2−0]     = [3, −1, 2]
//	differences             = [−1, 0, −2], squares [1, 0, 4]
//	L = (1 + 0 + 4)/3 = 5/3
//	∂L/∂s⁺_i = 2·d_i/B = [−2/3, 0, −4/3],  ∂L/∂s⁻_i = −∂L/∂s⁺_i
var (
	mmSPos = []float64{3, 1, 0.5}
	mmSNeg = []float64{1, 2, 0.5}
	mmTPos = []float64{5, 0, 2}
	mmTNeg = []float64{2, 1, 0}
)

func TestMarginMSEHandComputed(t *testing.T) {
	ins := []input{{[]int{3}, mmSPos}, {[]int{3}, mmSNeg}}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		loss, grads := evalGraph(t, dt, ins, func(in []*G.Node) (*G.Node, error) {
			return MarginMSE(in[0], in[1], mmTPos, mmTNeg)
		})
		assertClose(t, dt.String()+" MarginMSE", loss, 5.0/3, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁺", grads[0], []float64{-2.0 / 3, 0, -4.0 / 3}, 1e-6)
		assertSliceClose(t, dt.String()+" ∂L/∂s⁻", grads[1], []float64{2.0 / 3, 0, 4.0 / 3}, 1e-6)
	}
	v, err := MarginMSEValue(mmSPos, mmSNeg, mmTPos, mmTNeg)
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "MarginMSEValue", v, 5.0/3, 1e-15)
	v, err = MarginMSEFromMarginValue([]float32{3, 1, 0.5}, []float32{1, 2, 0.5}, []float32{3, -1, 2})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "MarginMSEFromMarginValue", v, 5.0/3, 1e-15)
}

func TestMarginMSETeacherForms(t *testing.T) {
	ins := []input{{[]int{3}, mmSPos}, {[]int{3}, mmSNeg}}
	forms := map[string]builder{
		"margin []float32": func(in []*G.Node) (*G.Node, error) {
			return MarginMSEFromMargin(in[0], in[1], []float32{3, -1, 2})
		},
		"pos/neg nodes": func(in []*G.Node) (*G.Node, error) {
			g := in[0].Graph()
			tp := G.NewVector(g, in[0].Dtype(), G.WithShape(3), G.WithName("tPos"), G.WithInit(G.ValuesOf(castLike(in[0], 0))))
			tn := G.NewVector(g, in[0].Dtype(), G.WithShape(3), G.WithName("tNeg"), G.WithInit(G.ValuesOf(castLike(in[0], 0))))
			// Set the labels as a training loop does, with Let after building.
			if err := G.Let(tp, vecLike(in[0], mmTPos)); err != nil {
				return nil, err
			}
			if err := G.Let(tn, vecLike(in[0], mmTNeg)); err != nil {
				return nil, err
			}
			return MarginMSE(in[0], in[1], tp, tn)
		},
	}
	for name, build := range forms {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			loss, _ := evalGraph(t, dt, ins, build)
			assertClose(t, name+" "+dt.String(), loss, 5.0/3, 1e-6)
		}
	}
}

func TestMarginMSEGradientFD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tp, tn := randn(r, 5, 3), randn(r, 5, 3)
	checkGradFD(t, []input{{[]int{5}, randn(r, 5, 2)}, {[]int{5}, randn(r, 5, 2)}}, func(in []*G.Node) (*G.Node, error) {
		return MarginMSE(in[0], in[1], tp, tn)
	})
}

func TestMarginMSEValueMatchesGraph(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	sp, sn, tp, tn := randn(r, 8, 2), randn(r, 8, 2), randn(r, 8, 5), randn(r, 8, 5)
	want, err := MarginMSEValue(sp, sn, tp, tn)
	if err != nil {
		t.Fatal(err)
	}
	build := func(in []*G.Node) (*G.Node, error) { return MarginMSE(in[0], in[1], tp, tn) }
	ins := []input{{[]int{8}, sp}, {[]int{8}, sn}}
	checkGraphValue(t, ins, build, want)
}

func TestMarginMSEErrors(t *testing.T) {
	g := G.NewGraph()
	v3 := G.NewVector(g, tensor.Float32, G.WithShape(3), G.WithName("v3"))
	v4 := G.NewVector(g, tensor.Float32, G.WithShape(4), G.WithName("v4"))
	v3f64 := G.NewVector(g, tensor.Float64, G.WithShape(3), G.WithName("v3f64"))
	m := G.NewMatrix(g, tensor.Float32, G.WithShape(3, 1), G.WithName("m"))
	ints := G.NewVector(g, tensor.Int, G.WithShape(3), G.WithName("ints"))
	other := G.NewVector(G.NewGraph(), tensor.Float32, G.WithShape(3), G.WithName("other"))
	var shapeErr *ShapeError
	var dtypeErr *DtypeError
	cases := []struct {
		name string
		err  func() error
		as   any
	}{
		{"sNeg length", func() error { _, err := MarginMSE(v3, v4, []float32{1, 2, 3}, []float32{1, 2, 3}); return err }, &shapeErr},
		{"sPos matrix", func() error { _, err := MarginMSE(m, m, []float32{1, 2, 3}, []float32{1, 2, 3}); return err }, &shapeErr},
		{"teacher length", func() error { _, err := MarginMSEFromMargin(v3, v3, []float32{1, 2}); return err }, &shapeErr},
		{"teacher node dtype", func() error { _, err := MarginMSE(v3, v3, v3f64, v3f64); return err }, &dtypeErr},
		{"teacher node shape", func() error { _, err := MarginMSE(v3, v3, v4, v4); return err }, &shapeErr},
		{"int scores", func() error { _, err := MarginMSE(ints, ints, []float64{1, 2, 3}, []float64{1, 2, 3}); return err }, &dtypeErr},
		{"value length", func() error {
			_, err := MarginMSEValue([]float32{1}, []float32{1, 2}, []float32{1}, []float32{1})
			return err
		}, &shapeErr},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if err == nil || !errors.As(err, c.as) {
				t.Fatalf("err = %v, want %T", err, c.as)
			}
		})
	}
	if _, err := MarginMSE(v3, other, []float32{1, 2, 3}, []float32{1, 2, 3}); err == nil {
		t.Error("nodes from different graphs accepted")
	}
	if _, err := MarginMSEValue[float32](nil, nil, nil, nil); !errors.Is(err, ErrEmptyBatch) {
		t.Errorf("empty batch: err = %v, want ErrEmptyBatch", err)
	}
	if _, err := MarginMSE(v3, v3, []float32{1, 2, 3}, []float32{1, 2, 3}); err != nil {
		t.Errorf("valid input rejected: %v", err)
	}
	wantMsg := "losses: MarginMSE: sNeg has shape [4], want [3]"
	if _, err := MarginMSE(v3, v4, []float32{1, 2, 3}, []float32{1, 2, 3}); err == nil || err.Error() != wantMsg {
		t.Errorf("message = %q, want %q", err, wantMsg)
	}
}

// castLike returns x in the dtype of n.
func castLike(n *G.Node, x float64) any {
	if n.Dtype() == tensor.Float32 {
		return float32(x)
	}
	return x
}

// vecLike returns v as a tensor of n's dtype.
func vecLike(n *G.Node, v []float64) tensor.Tensor {
	if n.Dtype() == tensor.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(append([]float64(nil), v...)))
}
