package student

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
)

func TestLoadWeights(t *testing.T) {
	a, _ := NewColBERT(gorgonia.NewGraph(), tinyColBERT(), 1)
	b, _ := NewColBERT(gorgonia.NewGraph(), tinyColBERT(), 2)
	q, d := []int32{4, 10, 11, 5}, []int32{4, 12, 7, 13, 5}
	sa, _ := a.Score(q, d)
	sb, _ := b.Score(q, d)
	if sa[0] == sb[0] {
		t.Fatal("different seeds gave the same score")
	}
	src := Weights(a.Params())
	rep, err := b.LoadWeights(src, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Loaded) != len(b.Params()) || len(rep.Missing)+len(rep.Unused) != 0 {
		t.Errorf("full load: %d loaded, missing %v, unused %v", len(rep.Loaded), rep.Missing, rep.Unused)
	}
	sb, _ = b.Score(q, d)
	if sa[0] != sb[0] {
		t.Errorf("after loading: score %v, want %v", sb[0], sa[0])
	}

	// Partial: embeddings only, under TF-era names, plus a pooler tensor.
	part := map[string]checkpoints.Tensor{"bert.pooler.dense.bias": {Shape: []int{8}, Data: make([]float32, 8)}}
	for k, v := range src {
		if len(k) > 15 && k[:15] == "bert.embeddings" {
			if k == "bert.embeddings.LayerNorm.weight" {
				k = "bert.embeddings.LayerNorm.gamma"
			}
			part[k] = v
		}
	}
	c, _ := NewSPLADE(gorgonia.NewGraph(), DefaultSPLADE(tinyEncoder()), 3)
	rep, err = c.LoadWeights(part, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Loaded) != 5 || len(rep.Unused) != 1 || rep.Unused[0] != "bert.pooler.dense.bias" || len(rep.Missing) != len(c.Params())-5 {
		t.Errorf("partial load: loaded %v, unused %v, %d missing", rep.Loaded, rep.Unused, len(rep.Missing))
	}
	if _, err := c.LoadWeights(part, true); err == nil {
		t.Error("strict partial load: want an error")
	}

	bad := map[string]checkpoints.Tensor{wordEmbeddings: {Shape: []int{49, 8}, Data: make([]float32, 49*8)}}
	var we *WeightError
	if _, err := c.LoadWeights(bad, false); !errors.As(err, &we) || we.Name != wordEmbeddings {
		t.Errorf("misshaped tensor: got %v, want a WeightError", err)
	}
}

// TestInferenceMatchesGraph checks that Score (eager, per-document padding)
// and ScoreTriples (graph, batch padding) agree, and that Feed rebinds.
func TestInferenceMatchesGraph(t *testing.T) {
	for _, kind := range []Kind{KindColBERT, KindSPLADE} {
		g := gorgonia.NewGraph()
		var m Model
		if kind == KindColBERT {
			c := tinyColBERT()
			m, _ = New(g, Config{Kind: kind, ColBERT: &c}, 5)
		} else {
			c := DefaultSPLADE(tinyEncoder())
			m, _ = New(g, Config{Kind: kind, SPLADE: &c}, 5)
		}
		scaleWeights(m, 5)
		batch := tinyBatch()
		sPos, sNeg, aux, err := m.ScoreTriples(batch)
		if err != nil {
			t.Fatal(err)
		}
		vm := gorgonia.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		unpad := func(ids, mask []int32) []int32 {
			n := 0
			for _, v := range mask {
				n += int(v)
			}
			return ids[:n]
		}
		check := func(b *TripleBatch) {
			for i := range b.QueryIDs {
				s, err := m.Score(unpad(b.QueryIDs[i], b.QueryMask[i]), unpad(b.PosIDs[i], b.PosMask[i]), unpad(b.NegIDs[i], b.NegMask[i]))
				if err != nil {
					t.Fatal(err)
				}
				gp := sPos.Value().Data().([]float32)[i]
				gn := sNeg.Value().Data().([]float32)[i]
				if math.Abs(float64(s[0]-gp)) > 1e-4 || math.Abs(float64(s[1]-gn)) > 1e-4 {
					t.Errorf("%s triple %d: Score %v, graph (%v, %v)", kind, i, s, gp, gn)
				}
			}
		}
		check(batch)
		swapped := tinyBatch()
		swapped.PosIDs, swapped.NegIDs = swapped.NegIDs, swapped.PosIDs
		swapped.PosMask, swapped.NegMask = swapped.NegMask, swapped.PosMask
		if err := aux.Feed(swapped); err != nil {
			t.Fatal(err)
		}
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		check(swapped)
		vm.Close()
	}
}
