package nn

import (
	"testing"

	"gorgonia.org/tensor"
)

// TestTypedEmbeddingsGrad checks the gradients of the token-type variant
// against finite differences on a batch using both segment types, and that
// all-zero types reproduce the untyped kernel exactly.
func TestTypedEmbeddingsGrad(t *testing.T) {
	r := rng()
	ids := intTensor([]int{3, 1, 3, 0, 2, 2}, 2, 3)
	types := intTensor([]int{0, 0, 1, 0, 1, 1}, 2, 3)
	in := []*tensor.Dense{ids, randF32(r, 1, 5, 4), randF32(r, 1, 4, 4), randF32(r, 1, 2, 4), types}
	checkGrads(t, NewTypedEmbeddings(), in, 1e-2, 1e-3)

	// Row 1 of E_type receives exactly the sum of dx over type-1 tokens.
	k := NewTypedEmbeddings()
	out, err := k.Forward(in, true)
	if err != nil {
		t.Fatal(err)
	}
	dOut, dx := newF32(6, 4)
	for i := range dx {
		dx[i] = float32(i)
	}
	grads, err := k.Backward(in, out, dOut)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, 8)
	for tok, ty := range []int{0, 0, 1, 0, 1, 1} {
		for j := range 4 {
			want[ty*4+j] += dx[tok*4+j]
		}
	}
	assertClose(t, "dE_type", f32(grads[3]), want, 0)

	zero := intTensor(make([]int, 6), 2, 3)
	typed, _ := NewTypedEmbeddings().Forward([]*tensor.Dense{ids, in[1], in[2], in[3], zero}, false)
	plain, _ := NewEmbeddings().Forward(in[:4], false)
	assertClose(t, "types 0 vs untyped", f32(typed), f32(plain), 0)

	bad := intTensor([]int{0, 0, 2, 0, 1, 1}, 2, 3)
	if _, err := NewTypedEmbeddings().Forward([]*tensor.Dense{ids, in[1], in[2], in[3], bad}, false); err == nil {
		t.Error("token type 2 with 2 type rows: want an error")
	}
	if _, err := NewTypedEmbeddings().OutShape([]tensor.Shape{{2, 3}, {5, 4}, {4, 4}, {2, 4}, {3, 2}}); err == nil {
		t.Error("types [3, 2] for ids [2, 3]: want a shape error")
	}
}

// TestEmbeddingsImplementationsAgree checks that the embedding loops in use
// (C or Go assembly, vectorised, with AVX2) give the same bits as the Go
// loops, with and without token types, repeated ids, row lengths around
// and between multiples of the vector width, token ranges that start
// inside a sequence and column blocks of the backward pass.
func TestEmbeddingsImplementationsAgree(t *testing.T) {
	for _, H := range []int{21, 45, 64} {
		embeddingsAgree(t, H)
	}
}

// embeddingsAgree compares the embedding loops in use with the Go loops
// on rows of H values.
func embeddingsAgree(t *testing.T, H int) {
	const V, P, T, S, n = 11, 9, 3, 7, 5 * 7
	r := rng()
	w, p, ty := f32(randF32(r, 1, V, H)), f32(randF32(r, 1, P, H)), f32(randF32(r, 1, T, H))
	dx := f32(randF32(r, 1, n, H))
	ids, types := make([]int, n), make([]int, n)
	for i := range ids {
		ids[i], types[i] = r.IntN(V), r.IntN(T)
	}
	for _, tt := range [][]int{nil, types} {
		xGo, xUse := make([]float32, n*H), make([]float32, n*H)
		for _, cut := range [][2]int{{0, 3}, {3, 17}, {17, n}} {
			embedRowsGo(xGo, ids, tt, w, p, ty, S, H, cut[0], cut[1])
			embedRows(xUse, ids, tt, w, p, ty, S, H, cut[0], cut[1])
		}
		if !identical(xGo, xUse) {
			t.Errorf("H %d, types %v: the forward sums in use differ from the Go loop's", H, tt != nil)
		}
		grads := func(cols func(dw, dp, dt, dx []float32, ids, types []int, S, H, c0, c1 int)) []float32 {
			g := f32(randF32(rng(), 1, V*H+P*H+T*H)) // added to
			dw, dp, dt := g[:V*H], g[V*H:(V+P)*H], g[(V+P)*H:]
			for _, c := range [][2]int{{0, 2}, {2, 11}, {11, H}} {
				cols(dw, dp, dt, dx, ids, tt, S, H, c[0], c[1])
			}
			return g
		}
		if !identical(grads(embedGradColsGo), grads(embedGradCols)) {
			t.Errorf("H %d, types %v: the gradient sums in use differ from the Go loop's", H, tt != nil)
		}
	}
}
