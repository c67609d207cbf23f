package bertonnx

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
)

// TestBuildModelStructure checks what a reader of the file sees: opset and
// IR version, named dynamic dimensions, Hugging Face initializer names with
// the weights' exact bytes, unique node names, and the config metadata.
func TestBuildModelStructure(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 1)
	for _, c := range []struct {
		opset, ir int64
		layerNorm string
	}{{17, 8, "LayerNormalization"}, {14, 7, "ReduceMean"}, {21, 10, "LayerNormalization"}} {
		data, err := MarshalModel(cfg, w, WriteOptions{Opset: int(c.opset)})
		if err != nil {
			t.Fatal(err)
		}
		m := &onnx.ModelProto{}
		if err := proto.Unmarshal(data, m); err != nil {
			t.Fatal(err)
		}
		if m.IrVersion != c.ir || len(m.OpsetImport) != 1 || m.OpsetImport[0].Version != c.opset {
			t.Errorf("opset %d: ir %d opsets %v", c.opset, m.IrVersion, m.OpsetImport)
		}
		ops := map[string]int{}
		names := map[string]bool{}
		for _, n := range m.Graph.Node {
			ops[n.OpType]++
			if names[n.Name] {
				t.Errorf("duplicate node name %s", n.Name)
			}
			names[n.Name] = true
		}
		if ops[c.layerNorm] == 0 || ops["Erf"] != cfg.Layers || ops["Softmax"] != cfg.Layers || ops["Range"] != 1 {
			t.Errorf("opset %d: op counts %v", c.opset, ops)
		}
		inits := map[string]*onnx.TensorProto{}
		for _, in := range m.Graph.Initializer {
			inits[in.Name] = in
		}
		for _, sp := range Specs(cfg) {
			in, ok := inits[sp.Name]
			if !ok {
				t.Fatalf("no initializer %s", sp.Name)
			}
			want := w[sp.Name]
			if len(in.RawData) != 4*len(want.Data) || len(in.Dims) != len(sp.Shape) {
				t.Fatalf("%s: %d bytes, dims %v", sp.Name, len(in.RawData), in.Dims)
			}
			for i := range in.Dims {
				if in.Dims[i] != int64(sp.Shape[i]) {
					t.Fatalf("%s: dims %v, want %v", sp.Name, in.Dims, sp.Shape)
				}
			}
			last := len(want.Data) - 1
			if v := math.Float32frombits(binary.LittleEndian.Uint32(in.RawData[4*last:])); v != want.Data[last] {
				t.Errorf("%s[%d] = %g, want %g", sp.Name, last, v, want.Data[last])
			}
		}
		dims := m.Graph.Input[0].Type.GetTensorType().Shape.Dim
		if dims[0].GetDimParam() != DimBatch || dims[1].GetDimParam() != DimSequence {
			t.Errorf("input_ids dims %v", dims)
		}
		var got Config
		if len(m.MetadataProps) != 1 || m.MetadataProps[0].Key != MetadataConfigKey ||
			json.Unmarshal([]byte(m.MetadataProps[0].Value), &got) != nil || got != cfg {
			t.Errorf("metadata %v", m.MetadataProps)
		}
	}
}

func TestBuildModelErrors(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 1)
	for _, opset := range []int{12, 22, -1} {
		if _, err := BuildModel(cfg, w, WriteOptions{Opset: opset}); err == nil {
			t.Errorf("opset %d accepted", opset)
		}
	}
	bad := cfg
	bad.Heads = 5
	if _, err := BuildModel(bad, w, WriteOptions{}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("error %v, want ErrInvalidConfig", err)
	}
	delete(w, "bert.pooler.dense.bias")
	dir := t.TempDir()
	path := filepath.Join(dir, "model.onnx")
	if err := WriteCrossEncoder(path, cfg, w, WriteOptions{}); !errors.Is(err, ErrMissingTensor) {
		t.Errorf("error %v, want ErrMissingTensor", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed write left %v", entries)
	}
}

func TestWriteDir(t *testing.T) {
	cfg := Tiny()
	cfg.NumLabels = 2
	dir := filepath.Join(t.TempDir(), "teacher")
	if err := WriteDir(dir, cfg, RandomWeights(cfg, 1), WriteOptions{OmitTokenTypeIDs: true}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	want := cfg
	want.WithTokenTypes = false // the written model has no token_type_ids input
	if got != want {
		t.Errorf("config.json %+v, want %+v", got, want)
	}
	checkInputsOutputs(t, filepath.Join(dir, ModelFile), false, 2)
}

// TestMiniLML6 writes a MiniLM-L6-sized model and checks it against Forward
// on a short batch.
func TestMiniLML6(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 91 MB model")
	}
	start := time.Now()
	cfg := MiniLML6()
	w := RandomWeights(cfg, 1)
	path := filepath.Join(t.TempDir(), "minilm.onnx")
	if err := WriteCrossEncoder(path, cfg, w, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	written := time.Since(start)
	b := randomBatch(3, 3, 12)
	got := runSession(t, newSession(t, path, nil, []string{"input_ids", "attention_mask", "token_type_ids"}), b, true, 1)
	want, err := Forward(cfg, w, b.ids, b.types, b.mask)
	if err != nil {
		t.Fatal(err)
	}
	diff := maxAbsDiff(t, got, want)
	t.Logf("MiniLM-L6: written in %v, max |ORT − Forward| = %.3g (logits %v %v %v)",
		written.Round(time.Millisecond), diff, want[0][0], want[1][0], want[2][0])
	if diff > 1e-4 {
		t.Errorf("max abs diff %g > 1e-4", diff)
	}
	if slices.Equal(got[0], got[1]) {
		t.Error("two different pairs got the same logit")
	}
}

// TestReadONNXWeightsRoundTrip reads back the initializers of a written
// cross-encoder: every tensor of Specs, bit for bit.
func TestReadONNXWeightsRoundTrip(t *testing.T) {
	cfg := Tiny()
	w := RandomWeights(cfg, 3)
	path := filepath.Join(t.TempDir(), "model.onnx")
	if err := WriteCrossEncoder(path, cfg, w, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadONNXWeights(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range Specs(cfg) {
		g, ok := got[sp.Name]
		if !ok {
			t.Fatalf("%s not read", sp.Name)
		}
		if !slices.Equal(g.Shape, sp.Shape) || !slices.Equal(g.Data, w[sp.Name].Data) {
			t.Errorf("%s: shape %v (want %v), data differs: %v", sp.Name, g.Shape, sp.Shape, !slices.Equal(g.Data, w[sp.Name].Data))
		}
	}
}

// TestReadONNXWeightsFloatData reads values stored as float_data (as some
// exporters write small tensors) and refuses a count that does not match
// the shape.
func TestReadONNXWeightsFloatData(t *testing.T) {
	write := func(in *onnx.TensorProto) string {
		t.Helper()
		b, err := proto.Marshal(&onnx.ModelProto{Graph: &onnx.GraphProto{Initializer: []*onnx.TensorProto{in}}})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "m.onnx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write(&onnx.TensorProto{Name: "classifier.bias", Dims: []int64{2}, DataType: int32(onnx.TensorProto_FLOAT), FloatData: []float32{0.5, -1}})
	w, err := ReadONNXWeights(good)
	if err != nil || !slices.Equal(w["classifier.bias"].Data, []float32{0.5, -1}) || !slices.Equal(w["classifier.bias"].Shape, []int{2}) {
		t.Errorf("float_data: %v, %v", w, err)
	}
	bad := write(&onnx.TensorProto{Name: "classifier.bias", Dims: []int64{3}, DataType: int32(onnx.TensorProto_FLOAT), FloatData: []float32{0.5, -1}})
	if _, err := ReadONNXWeights(bad); !errors.Is(err, ErrONNX) {
		t.Errorf("2 values for shape [3]: %v, want ErrONNX", err)
	}
	notONNX := filepath.Join(t.TempDir(), "x.onnx")
	if err := os.WriteFile(notONNX, []byte("\xff\xff not a protobuf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadONNXWeights(notONNX); !errors.Is(err, ErrONNX) {
		t.Errorf("not an ONNX file: %v, want ErrONNX", err)
	}
}
