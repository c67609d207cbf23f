package student

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/tokenizer"
)

func tinyCrossEncoder(t *testing.T, g *gorgonia.ExprGraph, seed uint64) *CrossEncoder {
	t.Helper()
	c := DefaultCrossEncoder(tinyEncoder())
	m, err := New(g, Config{Kind: KindCrossEncoder, CrossEncoder: &c}, seed)
	if err != nil {
		t.Fatal(err)
	}
	scaleWeights(m, 5)
	return m.(*CrossEncoder)
}

// tinyPairs is three pairs (4 = [CLS], 5 = [SEP]) of different lengths,
// padded with 0.
func tinyPairs() *PairBatch {
	b, err := NewPairBatch([][]int32{{4, 10, 11, 5}, {4, 12, 5}, {4, 13, 5}},
		[][]int32{{4, 20, 21, 22, 5}, {4, 12, 13, 5}, {4, 20, 5}}, 0, 0)
	if err != nil {
		panic(err)
	}
	return b
}

func TestNewPairBatch(t *testing.T) {
	b := tinyPairs()
	want := &PairBatch{
		IDs:     [][]int32{{4, 10, 11, 5, 20, 21, 22, 5}, {4, 12, 5, 12, 13, 5, 0, 0}, {4, 13, 5, 20, 5, 0, 0, 0}},
		TypeIDs: [][]int32{{0, 0, 0, 0, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 0, 0}, {0, 0, 0, 1, 1, 0, 0, 0}},
		Mask:    [][]int32{{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 0, 0, 0}},
	}
	for i := range want.IDs {
		if !slices.Equal(b.IDs[i], want.IDs[i]) || !slices.Equal(b.TypeIDs[i], want.TypeIDs[i]) || !slices.Equal(b.Mask[i], want.Mask[i]) {
			t.Errorf("pair %d: ids %v types %v mask %v, want %v %v %v", i, b.IDs[i], b.TypeIDs[i], b.Mask[i], want.IDs[i], want.TypeIDs[i], want.Mask[i])
		}
	}
	if err := (&PairBatch{IDs: [][]int32{{1, 2}}, Mask: [][]int32{{1}}}).Validate(); err == nil {
		t.Error("ragged mask: want an error")
	}
}

// TestJoinPairMatchesTokenizer checks JoinPair against the tokenizer's pair
// encoding (longest-first truncation) on real texts and lengths.
func TestJoinPairMatchesTokenizer(t *testing.T) {
	tok, err := tokenizer.Load("../data/tokenizers/bert-base-uncased/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	q := "what is the daily life of a honey bee colony"
	d := "Honey bees live in colonies with a single queen, hundreds of drones and thousands of worker bees; workers forage for nectar."
	qs, ds := tok.EncodeSingle(q, 0).IDs, tok.EncodeSingle(d, 0).IDs
	for _, maxLen := range []int{0, 64, 30, 20, 13, 7, 3} {
		ids, types := JoinPair(qs, ds, maxLen)
		want := tok.EncodePair(q, d, maxLen)
		if !slices.Equal(ids, want.IDs) || !slices.Equal(types, want.TypeIDs) {
			t.Errorf("maxLen %d: ids %v types %v,\n want %v %v", maxLen, ids, types, want.IDs, want.TypeIDs)
		}
	}
}

// TestCrossEncoderGradients is the whole-model finite-difference check of
// ScoreTriples (pairs with token types 0 and 1, Margin-MSE loss).
func TestCrossEncoderGradients(t *testing.T) {
	g := gorgonia.NewGraph()
	m := tinyCrossEncoder(t, g, 1)
	checkModelGrads(t, g, m, 3, []float32{4, -3})
}

// TestCrossEncoderPairGradients checks every parameter's gradient of
// L = Σ_b r_b·s_b through ScorePairs, including both rows of the token type
// table, against central finite differences.
func TestCrossEncoderPairGradients(t *testing.T) {
	g := gorgonia.NewGraph()
	m := tinyCrossEncoder(t, g, 2)
	s, _, err := m.ScorePairs(tinyPairs())
	if err != nil {
		t.Fatal(err)
	}
	r := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(3), gorgonia.WithName("r"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(3), tensor.WithBacking([]float32{1, -0.5, 2}))))
	loss := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.HadamardProd(s, r))))
	if _, err := gorgonia.Grad(loss, Nodes(m.Params())...); err != nil {
		t.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	run(t, vm)
	rng := rand.New(rand.NewPCG(5, 6))
	checkSmoothGrads(t, vm, loss, m.Params(), func(name string, n int) []int {
		picks := []int{rng.IntN(n), rng.IntN(n)}
		switch name {
		case wordEmbeddings:
			picks = []int{10*8 + rng.IntN(8), 20*8 + rng.IntN(8)}
		case "bert.embeddings.token_type_embeddings.weight":
			picks = []int{rng.IntN(8), 8 + rng.IntN(8)}
		}
		return picks
	})
}

// TestCrossEncoderInference checks that the graph (ScorePairs), the eager
// pass (Logits) and Score agree, that padding and batching do not change a
// score, that token types matter, and that Feed rebinds.
func TestCrossEncoderInference(t *testing.T) {
	g := gorgonia.NewGraph()
	m := tinyCrossEncoder(t, g, 3)
	b := tinyPairs()
	s, aux, err := m.ScorePairs(b)
	if err != nil {
		t.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	run(t, vm)
	graph := slices.Clone(s.Value().Data().([]float32))
	eager, err := m.Logits(b)
	if err != nil {
		t.Fatal(err)
	}
	queries := [][]int32{{4, 10, 11, 5}, {4, 12, 5}, {4, 13, 5}}
	docs := [][]int32{{4, 20, 21, 22, 5}, {4, 12, 13, 5}, {4, 20, 5}}
	for i := range queries {
		one, err := m.Score(queries[i], docs[i])
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Max(math.Abs(float64(graph[i]-eager[i])), math.Abs(float64(one[0]-eager[i]))); d > 1e-5 {
			t.Errorf("pair %d: graph %v, Logits %v, Score alone %v", i, graph[i], eager[i], one[0])
		}
	}
	t.Logf("logits %v", eager)

	noTypes := tinyPairs()
	noTypes.TypeIDs = nil
	flat, _ := m.Logits(noTypes)
	if math.Abs(float64(flat[0]-eager[0])) < 1e-4 {
		t.Errorf("token types ignored: %v with types, %v without", eager[0], flat[0])
	}

	// Feed a batch in another order: the graph follows.
	rev := &PairBatch{}
	for i := 2; i >= 0; i-- {
		rev.IDs, rev.TypeIDs, rev.Mask = append(rev.IDs, b.IDs[i]), append(rev.TypeIDs, b.TypeIDs[i]), append(rev.Mask, b.Mask[i])
	}
	if err := aux.Feed(rev); err != nil {
		t.Fatal(err)
	}
	run(t, vm)
	got := s.Value().Data().([]float32)
	for i := range 3 {
		if math.Abs(float64(got[i]-eager[2-i])) > 1e-5 {
			t.Errorf("after Feed, pair %d: %v, want %v", i, got[i], eager[2-i])
		}
	}
	wide := &PairBatch{IDs: [][]int32{{4, 5, 5, 0}}, Mask: [][]int32{{1, 1, 1, 0}}}
	if err := aux.Feed(wide); err == nil {
		t.Error("Feed of another shape: want an error")
	}
}

func TestCrossEncoderConfigJSON(t *testing.T) {
	c := DefaultCrossEncoder(tinyEncoder())
	data, err := json.Marshal(Config{Kind: "crossencoder", CrossEncoder: &c})
	if err != nil {
		t.Fatal(err)
	}
	var back Config
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.CrossEncoder == nil || *back.CrossEncoder != c {
		t.Errorf("round trip of %s: %+v", data, back.CrossEncoder)
	}
	one := tinyEncoder()
	one.TypeVocabSize = 1
	if err := DefaultCrossEncoder(one).Validate(); err == nil {
		t.Error("one token type: want an error")
	}
}
