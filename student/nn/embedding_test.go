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
