package bertonnx

import (
	"path/filepath"
	"slices"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/distill-ml/distill/internal/testfix"
)

// TestONNXRuntimeMatchesForward writes models of several shapes, runs them
// with ONNX Runtime on padded pairs of different lengths and compares the
// logits with the float64 reference.
func TestONNXRuntimeMatchesForward(t *testing.T) {
	twoLabels := Tiny()
	twoLabels.NumLabels = 2
	noTypes := Tiny()
	noTypes.WithTokenTypes = false
	noTypeTable := Tiny()
	noTypeTable.WithTokenTypes, noTypeTable.TypeVocabSize = false, 0
	deep := Tiny()
	deep.Layers, deep.Heads, deep.Hidden, deep.FFN = 3, 4, 48, 96

	cases := []struct {
		name string
		cfg  Config
		opts WriteOptions
	}{
		{"tiny", Tiny(), WriteOptions{}},
		{"tiny-2-labels", twoLabels, WriteOptions{}},
		{"tiny-no-token-types", noTypes, WriteOptions{}},
		{"tiny-omit-token-type-ids", Tiny(), WriteOptions{OmitTokenTypeIDs: true}},
		{"tiny-no-type-embeddings", noTypeTable, WriteOptions{}},
		{"tiny-opset-14", Tiny(), WriteOptions{Opset: 14}},
		{"tiny-opset-21", Tiny(), WriteOptions{Opset: 21}},
		{"3-layers-4-heads", deep, WriteOptions{}},
		// RoBERTa/XLM-R: positions from input_ids, no token_type_ids; with
		// pad id 0 the batch's padding is real padding.
		{"tiny-roberta", TinyRoBERTa(30522, 1), WriteOptions{}},
		{"tiny-roberta-pad-0", TinyRoBERTa(30522, 0), WriteOptions{}},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := RandomWeights(c.cfg, int64(10+i))
			path := filepath.Join(dir, c.name+".onnx")
			if err := WriteCrossEncoder(path, c.cfg, w, c.opts); err != nil {
				t.Fatal(err)
			}
			withTypes := c.cfg.WithTokenTypes && !c.opts.OmitTokenTypeIDs
			checkInputsOutputs(t, path, withTypes, c.cfg.NumLabels)

			b := randomBatch(uint64(i), 8, 24)
			inputs := []string{"input_ids", "attention_mask"}
			var refTypes [][]int32
			if withTypes {
				inputs = append(inputs, "token_type_ids")
				refTypes = b.types
			}
			got := runSession(t, newSession(t, path, nil, inputs), b, withTypes, c.cfg.NumLabels)
			want, err := Forward(c.cfg, w, b.ids, refTypes, b.mask)
			if err != nil {
				t.Fatal(err)
			}
			diff := maxAbsDiff(t, got, want)
			t.Logf("max |ORT − Forward| = %.3g over %d pairs (logits %v …)", diff, len(got), want[0])
			if diff > 1e-4 {
				t.Errorf("max abs diff %g > 1e-4", diff)
			}
		})
	}
}

// checkInputsOutputs checks the model's declared inputs and output as ONNX
// Runtime reads them: int64 [-1,-1] inputs, float32 [-1,labels] logits.
func checkInputsOutputs(t *testing.T, path string, withTypes bool, labels int) {
	t.Helper()
	testfix.InitORT(t)
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"input_ids", "attention_mask"}
	if withTypes {
		want = append(want, "token_type_ids")
	}
	var names []string
	for _, in := range ins {
		names = append(names, in.Name)
		if in.DataType != ort.TensorElementDataTypeInt64 || !slices.Equal(in.Dimensions, ort.NewShape(-1, -1)) {
			t.Errorf("input %s: %v %v, want int64 [-1 -1]", in.Name, in.DataType, in.Dimensions)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("inputs %v, want %v", names, want)
	}
	if len(outs) != 1 || outs[0].Name != "logits" || outs[0].DataType != ort.TensorElementDataTypeFloat ||
		!slices.Equal(outs[0].Dimensions, ort.NewShape(-1, int64(labels))) {
		t.Errorf("outputs %v, want logits float [-1 %d]", outs, labels)
	}
}

// TestPaddingInvariance scores the same pairs padded to their own length and
// to 64 tokens: padding must not change a logit.
func TestPaddingInvariance(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 3)
	data, err := MarshalModel(cfg, w, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, "", data, []string{"input_ids", "attention_mask", "token_type_ids"})
	tight := randomBatch(42, 4, 12)
	loose := batch{}
	for i := range tight.ids {
		pad := 64 - len(tight.ids[i])
		loose.ids = append(loose.ids, append(slices.Clone(tight.ids[i]), make([]int32, pad)...))
		loose.types = append(loose.types, append(slices.Clone(tight.types[i]), make([]int32, pad)...))
		loose.mask = append(loose.mask, append(slices.Clone(tight.mask[i]), make([]int32, pad)...))
	}
	a := runSession(t, s, tight, true, 1)
	b := runSession(t, s, loose, true, 1)
	diff := 0.0
	for i := range a {
		diff = max(diff, float64(abs32(a[i][0]-b[i][0])))
	}
	t.Logf("max |logit(len %d) − logit(len 64)| = %.3g", len(tight.ids[0]), diff)
	if diff > 1e-5 {
		t.Errorf("padding changed logits by %g > 1e-5: %v vs %v", diff, a, b)
	}
	// Each pair alone, unpadded, must score as in the batch.
	for i := range tight.ids {
		n := sum(tight.mask[i])
		one := batch{ids: [][]int32{tight.ids[i][:n]}, types: [][]int32{tight.types[i][:n]}, mask: [][]int32{tight.mask[i][:n]}}
		if d := abs32(runSession(t, s, one, true, 1)[0][0] - a[i][0]); d > 1e-5 {
			t.Errorf("pair %d alone differs from batched by %g", i, d)
		}
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func sum(x []int32) int {
	var s int
	for _, v := range x {
		s += int(v)
	}
	return s
}
