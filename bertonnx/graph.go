package bertonnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/advancedclimatesystems/gonnx/onnx"

	"github.com/distill-ml/distill/checkpoints"
)

// graph appends nodes and initializers to an ONNX GraphProto. Node names
// follow torch.onnx.export's scopes ("/bert/encoder/layer.0/attention/self/
// query/MatMul") and each node's single output is its name + "_output_0".
// Small constants are initializers, one per distinct value.
type graph struct {
	g      *onnx.GraphProto
	opset  int
	consts map[string]bool
}

func newGraph(name string, opset int) *graph {
	return &graph{g: &onnx.GraphProto{Name: name}, opset: opset, consts: make(map[string]bool)}
}

// op appends a node and returns the name of its output.
func (b *graph) op(name, opType string, inputs []string, attrs ...*onnx.AttributeProto) string {
	return b.opTo(name+"_output_0", name, opType, inputs, attrs...)
}

// opTo appends a node whose output is named out.
func (b *graph) opTo(out, name, opType string, inputs []string, attrs ...*onnx.AttributeProto) string {
	b.g.Node = append(b.g.Node, &onnx.NodeProto{
		Name: name, OpType: opType, Input: inputs, Output: []string{out}, Attribute: attrs,
	})
	return out
}

// constFloat returns the name of a float32 scalar initializer holding v.
func (b *graph) constFloat(v float32) string {
	name := "const_float_" + strconv.FormatFloat(float64(v), 'g', -1, 32)
	if !b.consts[name] {
		b.consts[name] = true
		b.g.Initializer = append(b.g.Initializer, &onnx.TensorProto{
			Name: name, DataType: int32(onnx.TensorProto_FLOAT), FloatData: []float32{v},
		})
	}
	return name
}

// constInt64 returns the name of an int64 initializer: a scalar when
// scalar is true (len(v) must be 1), else a vector.
func (b *graph) constInt64(scalar bool, v ...int64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatInt(x, 10)
	}
	kind := "vec"
	var dims []int64
	if scalar {
		kind = "scalar"
	} else {
		dims = []int64{int64(len(v))}
	}
	name := "const_int64_" + kind + "_" + strings.Join(parts, "_")
	if !b.consts[name] {
		b.consts[name] = true
		b.g.Initializer = append(b.g.Initializer, &onnx.TensorProto{
			Name: name, Dims: dims, DataType: int32(onnx.TensorProto_INT64), Int64Data: v,
		})
	}
	return name
}

// weight adds a float32 initializer with little-endian raw data, as
// torch.onnx.export stores parameters.
func (b *graph) weight(name string, t checkpoints.Tensor) {
	dims := make([]int64, len(t.Shape))
	for i, d := range t.Shape {
		dims[i] = int64(d)
	}
	raw := make([]byte, 4*len(t.Data))
	for i, v := range t.Data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	b.g.Initializer = append(b.g.Initializer, &onnx.TensorProto{
		Name: name, Dims: dims, DataType: int32(onnx.TensorProto_FLOAT), RawData: raw,
	})
}

func attrInt(name string, v int64) *onnx.AttributeProto {
	return &onnx.AttributeProto{Name: name, Type: onnx.AttributeProto_INT, I: v}
}

func attrInts(name string, v ...int64) *onnx.AttributeProto {
	return &onnx.AttributeProto{Name: name, Type: onnx.AttributeProto_INTS, Ints: v}
}

func attrFloat(name string, v float32) *onnx.AttributeProto {
	return &onnx.AttributeProto{Name: name, Type: onnx.AttributeProto_FLOAT, F: v}
}

// valueInfo describes a tensor input or output. A dimension is an int (a
// fixed size) or a string (a named dynamic dimension).
func valueInfo(name string, elem onnx.TensorProto_DataType, dims ...any) *onnx.ValueInfoProto {
	shape := &onnx.TensorShapeProto{}
	for _, d := range dims {
		dim := &onnx.TensorShapeProto_Dimension{}
		switch d := d.(type) {
		case int:
			dim.Value = &onnx.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}
		case string:
			dim.Value = &onnx.TensorShapeProto_Dimension_DimParam{DimParam: d}
		default:
			panic(fmt.Sprintf("bertonnx: dimension of type %T", d))
		}
		shape.Dim = append(shape.Dim, dim)
	}
	return &onnx.ValueInfoProto{
		Name: name,
		Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{
			TensorType: &onnx.TypeProto_Tensor{ElemType: int32(elem), Shape: shape},
		}},
	}
}

// int32Inputs declares the graph's inputs int32; each is cast to int64,
// under the name name+"/int64", before its first use.
func (b *graph) int32Inputs() {
	for _, in := range b.g.Input {
		b.retype(in, onnx.TensorProto_INT32, onnx.TensorProto_INT64, "/int64", true)
	}
}

// float16Output makes the graph's outputs float16: the node that produced
// each now writes name+"/float32", and a final Cast writes name.
func (b *graph) float16Output() {
	for _, out := range b.g.Output {
		b.retype(out, onnx.TensorProto_FLOAT16, onnx.TensorProto_FLOAT, "/float32", false)
	}
}

// retype declares the graph input (or output) v as elem while the graph
// computes with inner: the nodes' uses (or productions) of v's name move to
// name+suffix, and a Cast between the two is added first (or last).
func (b *graph) retype(v *onnx.ValueInfoProto, elem, inner onnx.TensorProto_DataType, suffix string, input bool) {
	name, moved := v.Name, v.Name+suffix
	for _, n := range b.g.Node {
		refs := n.Output
		if input {
			refs = n.Input
		}
		for i, x := range refs {
			if x == name {
				refs[i] = moved
			}
		}
	}
	from, to, target := moved, name, elem
	if input {
		from, to, target = name, moved, inner
	}
	cast := &onnx.NodeProto{Name: "/" + name + "/Cast", OpType: "Cast", Input: []string{from}, Output: []string{to},
		Attribute: []*onnx.AttributeProto{attrInt("to", int64(target))}}
	if input {
		b.g.Node = append([]*onnx.NodeProto{cast}, b.g.Node...)
	} else {
		b.g.Node = append(b.g.Node, cast)
	}
	v.Type.GetTensorType().ElemType = int32(elem)
}
