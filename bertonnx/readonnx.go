package bertonnx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/distill-ml/distill/checkpoints"
)

// ErrONNX is returned (wrapped) by ReadONNXWeights for a file that is not an
// ONNX model or holds no usable float32 initializer.
var ErrONNX = errors.New("bertonnx: bad ONNX model")

// ReadONNXWeights returns the float32 initializers of an ONNX model by name:
// the weights of a model written by this package, torch.onnx.export or
// optimum, whose names are the Hugging Face parameter names. Values stored
// as raw_data (little-endian) or float_data are read; initializers of other
// types, unnamed ones and those with external data are left out.
func ReadONNXWeights(path string) (Weights, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bertonnx: %w", err)
	}
	var m onnx.ModelProto
	if err := proto.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: not an ONNX model: %v", ErrONNX, path, err)
	}
	out := Weights{}
	for _, in := range m.GetGraph().GetInitializer() {
		if in.DataType != int32(onnx.TensorProto_FLOAT) || in.Name == "" {
			continue
		}
		shape := make([]int, len(in.Dims))
		n := 1
		for i, d := range in.Dims {
			shape[i] = int(d)
			n *= int(d)
		}
		var vals []float32
		switch {
		case len(in.FloatData) > 0:
			vals = slices.Clone(in.FloatData)
		case len(in.RawData) > 0:
			vals = make([]float32, len(in.RawData)/4)
			for i := range vals {
				vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(in.RawData[4*i:]))
			}
		default:
			continue // external data or empty
		}
		if len(vals) != n {
			return nil, fmt.Errorf("%w: %s: initializer %q has %d values for shape %v", ErrONNX, path, in.Name, len(vals), shape)
		}
		out[in.Name] = checkpoints.Tensor{Shape: shape, Data: vals}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s: no float32 initializers", ErrONNX, path)
	}
	return out, nil
}
