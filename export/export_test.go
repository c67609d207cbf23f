package export

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/retrieval"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

const tol = 1e-4

func crossEncoderConfig() student.Config {
	c := student.DefaultCrossEncoder(tinyEncoder())
	return student.Config{Kind: student.KindCrossEncoder, CrossEncoder: &c}
}

// pairBatch joins every query with its two judged passages, cut to 128
// tokens, padded.
func pairBatch(t testing.TB, f *texts) *student.PairBatch {
	t.Helper()
	var qs [][]int32
	for i := range f.docToks {
		qs = append(qs, f.queryToks[i/2])
	}
	b, err := student.NewPairBatch(qs, f.docToks, 128, 0)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCrossEncoderMatchesORT exports a cross-encoder and compares ONNX
// Runtime's logits on a padded batch of real pairs with the eager pass, the
// gorgonia graph and bertonnx's float64 reference of the same weights.
func TestCrossEncoderMatchesORT(t *testing.T) {
	f := realTexts(t)
	g := gorgonia.NewGraph()
	m0, err := student.New(g, crossEncoderConfig(), 11)
	if err != nil {
		t.Fatal(err)
	}
	m := m0.(*student.CrossEncoder)
	scale(m, 4)
	for _, p := range m.Params() { // a classifier that spreads the logits
		if p.Name == "classifier.weight" {
			for i, d := 0, p.Node.Value().Data().([]float32); i < len(d); i++ {
				d[i] *= 25
			}
		}
	}
	path := filepath.Join(t.TempDir(), "ce.onnx")
	res, err := WriteModel(m, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != student.KindCrossEncoder || res.Output != "logits" || !slices.Equal(res.Inputs, []string{"input_ids", "attention_mask", "token_type_ids"}) || res.Bytes == 0 {
		t.Errorf("result %+v", res)
	}
	b := pairBatch(t, f)
	got, shape := runORT(t, path, res.Inputs, [][][]int32{b.IDs, b.Mask, b.TypeIDs}, "logits")
	if !slices.Equal(shape, []int64{int64(len(b.IDs)), 1}) {
		t.Fatalf("logits shape %v", shape)
	}
	eager, err := m.Logits(b)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := m.ScorePairs(b)
	if err != nil {
		t.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	graph := s.Value().Data().([]float32)
	ref, err := bertonnx.Forward(BertConfig(tinyEncoder()), bertonnx.Weights(student.Weights(m.Params())), b.IDs, b.TypeIDs, b.Mask)
	if err != nil {
		t.Fatal(err)
	}
	ref32 := make([]float32, len(ref))
	for i, r := range ref {
		ref32[i] = float32(r[0])
	}
	de, dg, dr := maxDiff(t, got, eager), maxDiff(t, got, graph), maxDiff(t, got, ref32)
	t.Logf("%d pairs of %d tokens: max |ORT − eager| = %.2g, |ORT − graph| = %.2g, |ORT − float64 reference| = %.2g; logits %.4f…",
		len(got), len(b.IDs[0]), de, dg, dr, got[:3])
	if de > tol || dg > tol || dr > tol {
		t.Errorf("max abs diffs %g (eager), %g (graph), %g (reference) > %g", de, dg, dr, tol)
	}
	if spread := slices.Max(got) - slices.Min(got); spread < 0.1 {
		t.Errorf("logits spread %g: the check is too weak", spread)
	}
}

// TestColBERTMatchesORT exports a ColBERT student and compares ONNX
// Runtime's token embeddings, on inputs from PrepareQueries/PrepareDocs,
// with EncodeQueries and EncodeDocs.
func TestColBERTMatchesORT(t *testing.T) {
	c := student.DefaultColBERT(tinyEncoder())
	c.Dim, c.QueryLength, c.SkipIDs = 16, 16, []int32{1010, 1012} // "," "."
	m0 := newModel(t, student.Config{Kind: student.KindColBERT, ColBERT: &c}, 12)
	m := m0.(*student.ColBERT)
	for _, opset := range []int{14, 17, 21} { // LayerNorm decomposed below 17
		t.Run(fmt.Sprintf("opset-%d", opset), func(t *testing.T) { checkColBERT(t, m, c, opset) })
	}
}

func checkColBERT(t *testing.T, m *student.ColBERT, c student.ColBERTConfig, opset int) {
	f := realTexts(t)
	path := filepath.Join(t.TempDir(), "colbert.onnx")
	res, err := WriteModel(m, path, Options{Opset: opset})
	if err != nil {
		t.Fatal(err)
	}
	if res.Output != bertonnx.OutputTokenEmbeddings || len(res.Inputs) != 2 {
		t.Errorf("result %+v", res)
	}
	check := func(side string, in student.ColBERTInputs, want [][][]float32) {
		t.Helper()
		flat, shape := runORT(t, path, res.Inputs, [][][]int32{in.IDs, in.Attention}, res.Output)
		B, L := len(in.IDs), len(in.IDs[0])
		if !slices.Equal(shape, []int64{int64(B), int64(L), int64(c.Dim)}) {
			t.Fatalf("%s: shape %v", side, shape)
		}
		worst, n := 0.0, 0
		for b := range B {
			var got []float32
			for j := range L {
				if in.Score[b][j] != 0 {
					got = append(got, flat[(b*L+j)*c.Dim:(b*L+j+1)*c.Dim]...)
				}
			}
			var w []float32
			for _, v := range want[b] {
				w = append(w, v...)
			}
			worst = max(worst, maxDiff(t, got, w))
			n += len(want[b])
		}
		t.Logf("%s: %d sequences of %d tokens, %d scored token embeddings: max |ORT − student| = %.2g", side, B, L, n, worst)
		if worst > tol {
			t.Errorf("%s: max abs diff %g > %g", side, worst, tol)
		}
	}
	qin, err := m.PrepareQueries(f.queryToks)
	if err != nil {
		t.Fatal(err)
	}
	qwant, err := m.EncodeQueries(f.queryToks)
	if err != nil {
		t.Fatal(err)
	}
	check("queries", qin, qwant)
	din, err := m.PrepareDocs(f.docToks)
	if err != nil {
		t.Fatal(err)
	}
	dwant, err := m.EncodeDocs(f.docToks)
	if err != nil {
		t.Fatal(err)
	}
	check("documents", din, dwant)
}

// TestSPLADEMatchesORT exports a SPLADE student and compares ONNX Runtime's
// dense vocabulary weights with EncodeQueries/EncodeDocs, every entry.
func TestSPLADEMatchesORT(t *testing.T) {
	f := realTexts(t)
	c := student.DefaultSPLADE(tinyEncoder())
	m0 := newModel(t, student.Config{Kind: student.KindSPLADE, SPLADE: &c}, 13)
	m := m0.(*student.SPLADE)
	path := filepath.Join(t.TempDir(), "splade.onnx")
	res, err := WriteModel(m, path, Options{Opset: 18}) // ReduceMax with axes as an input
	if err != nil {
		t.Fatal(err)
	}
	V := c.Encoder.VocabSize
	for _, side := range []struct {
		name string
		seqs [][]int32
		enc  func([][]int32) ([]retrieval.SparseVector, error)
	}{{"queries", f.queryToks, m.EncodeQueries}, {"documents", f.docToks, m.EncodeDocs}} {
		want, err := side.enc(side.seqs)
		if err != nil {
			t.Fatal(err)
		}
		var cut [][]int32
		for _, s := range side.seqs {
			if P := c.Encoder.MaxPosition; len(s) > P {
				s = append(s[:P-1:P-1], s[len(s)-1])
			}
			cut = append(cut, s)
		}
		ids, mask := padRows(cut)
		got, shape := runORT(t, path, res.Inputs, [][][]int32{ids, mask}, res.Output)
		if !slices.Equal(shape, []int64{int64(len(cut)), int64(V)}) {
			t.Fatalf("shape %v", shape)
		}
		dense := make([]float32, len(cut)*V)
		nnz := 0
		for b, v := range want {
			for k, j := range v.Terms {
				dense[b*V+int(j)] = v.Weights[k]
			}
			nnz += len(v.Terms)
		}
		d := maxDiff(t, got, dense)
		t.Logf("%s: %d × %d weights (%d non-zero in the student's): max |ORT − student| = %.2g", side.name, len(cut), V, nnz, d)
		if d > tol || nnz == 0 {
			t.Errorf("%s: max abs diff %g > %g, or no non-zero weight (%d)", side.name, d, tol, nnz)
		}
	}
}

// padRows pads token rows with 0 (tokenizer.Pad) and returns ids and mask.
func padRows(seqs [][]int32) (ids, mask [][]int32) {
	b := tokenizer.Pad(seqs, nil, 0, 0)
	return b.Rows(b.IDs), b.Rows(b.Mask)
}

func scale(m student.Model, f float32) {
	for _, p := range m.Params() {
		if p.Node.Dims() > 1 {
			d := p.Node.Value().Data().([]float32)
			for i := range d {
				d[i] *= f
			}
		}
	}
}
