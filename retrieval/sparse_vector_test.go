package retrieval

import "testing"

func TestSparseVectorDot(t *testing.T) {
	v := SparseVector{Terms: []int32{1, 4, 9}, Weights: []float32{0.5, 2, -1}}
	o := SparseVector{Terms: []int32{0, 4, 9, 12}, Weights: []float32{3, 0.25, 2, 7}}
	if got := v.Dot(o); got != 0.5-2 || o.Dot(v) != got {
		t.Errorf("Dot = %v, %v; want -1.5", got, o.Dot(v))
	}
	if got := v.Dot(SparseVector{}); got != 0 {
		t.Errorf("Dot with the empty vector = %v", got)
	}
}
