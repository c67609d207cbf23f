package bertonnx

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// TestForwardGolden pins the reference logits of RandomWeights(Tiny(), 1) on
// one pair, so a change to RandomWeights or Forward shows up here.
func TestForwardGolden(t *testing.T) {
	ids, types, mask := pairRow([]int32{2054, 2003, 1037, 4937}, []int32{1037, 4937, 2003, 2019, 4111, 1012}, 14)
	for _, c := range []struct {
		labels int
		want   []float64
	}{
		{1, []float64{goldenOne}},
		{2, []float64{goldenOne, goldenTwo}},
	} {
		cfg := Tiny()
		cfg.NumLabels = c.labels
		got, err := Forward(cfg, RandomWeights(cfg, 1), [][]int32{ids}, [][]int32{types}, [][]int32{mask})
		if err != nil {
			t.Fatal(err)
		}
		for j, want := range c.want {
			if math.Abs(got[0][j]-want) > 1e-9 {
				t.Errorf("labels=%d logit %d = %.12f, want %.12f", c.labels, j, got[0][j], want)
			}
		}
	}
}

const (
	goldenOne = -0.993738554384
	goldenTwo = -3.846978143480
)

// TestForwardPadding: padding and the batch a row is in do not change its logits.
func TestForwardPadding(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 5)
	ids, types, mask := pairRow([]int32{3000, 4000}, []int32{5000, 6000, 7000}, 8)
	pIDs, pTypes, pMask := pairRow([]int32{3000, 4000}, []int32{5000, 6000, 7000}, 30)
	got, err := Forward(cfg, w, [][]int32{ids, pIDs}, [][]int32{types, pTypes}, [][]int32{mask, pMask})
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(got[0][0] - got[1][0]); d > 1e-12 {
		t.Errorf("padding changed the logit by %g", d)
	}
	// nil token types mean type 0 everywhere.
	zero := make([]int32, len(ids))
	a, _ := Forward(cfg, w, [][]int32{ids}, nil, [][]int32{mask})
	b, _ := Forward(cfg, w, [][]int32{ids}, [][]int32{zero}, [][]int32{mask})
	if a[0][0] != b[0][0] {
		t.Errorf("nil token types %g, zeros %g", a[0][0], b[0][0])
	}
}

func TestForwardInputErrors(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 1)
	ok := []int32{101, 2000, 102}
	ones := []int32{1, 1, 1}
	long := make([]int32, 513)
	longMask := make([]int32, 513)
	longMask[0] = 1
	cases := []struct {
		name             string
		ids, types, mask [][]int32
	}{
		{"batch mismatch", [][]int32{ok, ok}, nil, [][]int32{ones}},
		{"row length mismatch", [][]int32{ok}, nil, [][]int32{{1, 1}}},
		{"types length mismatch", [][]int32{ok}, [][]int32{{0}}, [][]int32{ones}},
		{"empty row", [][]int32{{}}, nil, [][]int32{{}}},
		{"too long", [][]int32{long}, nil, [][]int32{longMask}},
		{"id past vocab", [][]int32{{101, 30522, 102}}, nil, [][]int32{ones}},
		{"negative id", [][]int32{{101, -1, 102}}, nil, [][]int32{ones}},
		{"type past table", [][]int32{ok}, [][]int32{{0, 2, 0}}, [][]int32{ones}},
		{"mask value 2", [][]int32{ok}, nil, [][]int32{{1, 2, 1}}},
		{"all padding", [][]int32{ok}, nil, [][]int32{{0, 0, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Forward(cfg, w, c.ids, c.types, c.mask); !errors.Is(err, ErrInput) {
				t.Errorf("error %v, want ErrInput", err)
			}
		})
	}
	delete(w, "classifier.bias")
	if _, err := Forward(cfg, w, [][]int32{ok}, nil, [][]int32{ones}); !errors.Is(err, ErrMissingTensor) {
		t.Errorf("error %v, want ErrMissingTensor", err)
	}
}

// TestRoBERTaPositions checks the position ids of RoBERTa's
// create_position_ids_from_input_ids: pad+1, pad+2, ... for tokens, pad for
// padding.
func TestRoBERTaPositions(t *testing.T) {
	cfg := TinyRoBERTa(100, 1)
	got := positions(cfg, []int32{0, 7, 1, 9, 2, 1, 1})
	want := []int{2, 3, 1, 4, 5, 1, 1}
	if !slices.Equal(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
	if got := positions(Tiny(), []int32{0, 1, 1}); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("BERT positions %v, want [0 1 2]", got)
	}
	cfg.PadTokenID = cfg.MaxPosition - 1
	if err := cfg.Validate(); err == nil {
		t.Error("Validate accepted a pad id that leaves no position for tokens")
	}
}
