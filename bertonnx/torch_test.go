package bertonnx

import (
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
)

// torchExpected is testdata/torch_tiny/expected.json, written by
// testdata/torch_export.py.
type torchExpected struct {
	TorchVersion  string      `json:"torch_version"`
	Config        Config      `json:"config"`
	InputIDs      [][]int32   `json:"input_ids"`
	AttentionMask [][]int32   `json:"attention_mask"`
	TokenTypeIDs  [][]int32   `json:"token_type_ids"`
	Logits        [][]float64 `json:"logits"`
}

// TestTorchExport runs a Tiny cross-encoder exported by torch.onnx.export
// (PyTorch 1.13, opset 14) from RandomWeights(Tiny(), 1) and checks that it
// declares the same inputs and output as our writer, and that torch's own
// logits, ONNX Runtime on torch's export, ONNX Runtime on our model and
// Forward all agree. Regenerate testdata/torch_tiny with the commands at the
// top of testdata/torch_export.py.
func TestTorchExport(t *testing.T) {
	dir := filepath.Join("testdata", "torch_tiny")
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp torchExpected
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	cfg := Tiny()
	if exp.Config != cfg {
		t.Fatalf("exported config %+v, want Tiny %+v", exp.Config, cfg)
	}
	w := RandomWeights(cfg, 1)
	torchPath := filepath.Join(dir, "model.onnx")
	ours, err := MarshalModel(cfg, w, WriteOptions{Opset: 14})
	if err != nil {
		t.Fatal(err)
	}
	compareSignatures(t, torchPath, ours)

	inputs := []string{"input_ids", "attention_mask", "token_type_ids"}
	b := batch{ids: exp.InputIDs, types: exp.TokenTypeIDs, mask: exp.AttentionMask}
	torchORT := runSession(t, newSession(t, torchPath, nil, inputs), b, true, 1)
	oursORT := runSession(t, newSession(t, "", ours, inputs), b, true, 1)
	ref, err := Forward(cfg, w, b.ids, b.types, b.mask)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		a    [][]float32
		b    [][]float64
		tol  float64
	}{
		{"ORT(torch export) vs torch", torchORT, exp.Logits, 1e-5},
		{"ORT(ours) vs torch", oursORT, exp.Logits, 1e-5},
		{"ORT(torch export) vs Forward", torchORT, ref, 1e-4},
	} {
		d := maxAbsDiff(t, c.a, c.b)
		t.Logf("%s (torch %s): max abs diff %.3g", c.name, exp.TorchVersion, d)
		if d > c.tol {
			t.Errorf("%s: max abs diff %g > %g", c.name, d, c.tol)
		}
	}
	d := 0.0
	for i := range ref {
		d = math.Max(d, math.Abs(ref[i][0]-exp.Logits[i][0]))
	}
	t.Logf("Forward vs torch: max abs diff %.3g", d)
}

// compareSignatures checks that the torch export and our model declare the
// same graph inputs and outputs: names, element types and dimensions
// (dim_param names included).
func compareSignatures(t *testing.T, torchPath string, ours []byte) {
	t.Helper()
	data, err := os.ReadFile(torchPath)
	if err != nil {
		t.Fatal(err)
	}
	var torch, own onnx.ModelProto
	if err := proto.Unmarshal(data, &torch); err != nil {
		t.Fatal(err)
	}
	if err := proto.Unmarshal(ours, &own); err != nil {
		t.Fatal(err)
	}
	sig := func(vs []*onnx.ValueInfoProto) []string {
		var s []string
		for _, v := range vs {
			tt := v.Type.GetTensorType()
			d := v.Name + ":" + onnx.TensorProto_DataType(tt.ElemType).String()
			for _, dim := range tt.Shape.Dim {
				if p := dim.GetDimParam(); p != "" {
					d += " " + p
				} else {
					d += " " + strconv.FormatInt(dim.GetDimValue(), 10)
				}
			}
			s = append(s, d)
		}
		return s
	}
	if a, b := sig(torch.Graph.Input), sig(own.Graph.Input); !slices.Equal(a, b) {
		t.Errorf("inputs: torch %v, ours %v", a, b)
	}
	if a, b := sig(torch.Graph.Output), sig(own.Graph.Output); !slices.Equal(a, b) {
		t.Errorf("outputs: torch %v, ours %v", a, b)
	}
	ops := func(m *onnx.ModelProto) map[string]bool {
		s := map[string]bool{}
		for _, n := range m.Graph.Node {
			s[n.OpType] = true
		}
		return s
	}
	t.Logf("torch export: opset %d, %d nodes, ops %v", torch.OpsetImport[0].Version, len(torch.Graph.Node),
		slices.Sorted(maps.Keys(ops(&torch))))
	t.Logf("ours:         opset %d, %d nodes, ops %v", own.OpsetImport[0].Version, len(own.Graph.Node),
		slices.Sorted(maps.Keys(ops(&own))))
}
