package bertonnx

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
)

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
