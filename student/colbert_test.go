package student

import (
	"slices"
	"testing"

	"gorgonia.org/gorgonia"
)

func TestColBERTPrepare(t *testing.T) {
	m, err := NewColBERT(gorgonia.NewGraph(), tinyColBERT(), 1) // QueryLength 6, [MASK] = 3, skip 7
	if err != nil {
		t.Fatal(err)
	}
	q := m.prepareQueries([][]int32{{4, 10, 11, 5}}, [][]int32{{1, 1, 1, 1}})
	if got, want := q.ids.Data().([]int), []int{4, 1, 10, 11, 5, 3}; !slices.Equal(got, want) {
		t.Errorf("query ids %v, want %v", got, want)
	}
	if got := q.attn.Data().([]float32); !slices.Equal(got, []float32{1, 1, 1, 1, 1, 1}) {
		t.Errorf("query attention %v, want all 1 (attend to [MASK])", got)
	}
	long := m.prepareQueries([][]int32{{4, 10, 11, 12, 13, 14, 5}}, [][]int32{{1, 1, 1, 1, 1, 1, 1}})
	if got, want := long.ids.Data().([]int), []int{4, 1, 10, 11, 12, 5}; !slices.Equal(got, want) {
		t.Errorf("truncated query ids %v, want %v", got, want)
	}
	d := m.prepareDocs([][]int32{{4, 10, 7, 5, 0}}, [][]int32{{1, 1, 1, 1, 0}})
	if got, want := d.ids.Data().([]int), []int{4, 2, 10, 7, 5, 0}; !slices.Equal(got, want) {
		t.Errorf("doc ids %v, want %v", got, want)
	}
	if got, want := d.attn.Data().([]float32), []float32{1, 1, 1, 1, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("doc attention %v, want %v", got, want)
	}
	if got, want := d.score.Data().([]float32), []float32{1, 1, 1, 0, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("doc MaxSim mask %v, want %v", got, want)
	}
}

func TestConfigValidate(t *testing.T) {
	c := tinyColBERT()
	c.Encoder.Heads = 3
	if err := c.Validate(); err == nil {
		t.Error("hidden 8 with 3 heads: want an error")
	}
	c = tinyColBERT()
	c.MaskID = 50
	if err := c.Validate(); err == nil {
		t.Error("mask id outside the vocabulary: want an error")
	}
	if _, err := New(gorgonia.NewGraph(), Config{Kind: "bm25"}, 1); err == nil {
		t.Error("unknown kind: want an error")
	}
}
