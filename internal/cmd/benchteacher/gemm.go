package main

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"time"

	"github.com/advancedclimatesystems/gonnx/onnx"
	ort "github.com/yalue/onnxruntime_go"
	"google.golang.org/protobuf/proto"

	"github.com/distill-ml/distill/internal/fsutil"
)

// gemmPeak measures ONNX Runtime's MatMul rate, in GFLOP/s, on the shape of
// the cross-encoder's feed-forward product ([512×384]·[384×1536]).
func gemmPeak(dir string, threads int) (float64, error) {
	const m, k, n = 512, 384, 1536
	path := filepath.Join(dir, fmt.Sprintf("matmul-%d.onnx", threads))
	wdata := make([]float32, k*n)
	rng := rand.New(rand.NewSource(1))
	for i := range wdata {
		wdata[i] = rng.Float32() - 0.5
	}
	model := &onnx.ModelProto{
		IrVersion:   8,
		OpsetImport: []*onnx.OperatorSetIdProto{{Version: 17}},
		Graph: &onnx.GraphProto{
			Name:        "matmul",
			Node:        []*onnx.NodeProto{{OpType: "MatMul", Input: []string{"x", "w"}, Output: []string{"y"}}},
			Initializer: []*onnx.TensorProto{{Name: "w", Dims: []int64{k, n}, DataType: int32(onnx.TensorProto_FLOAT), FloatData: wdata}},
			Input:       []*onnx.ValueInfoProto{tensorInfo("x", m, k)},
			Output:      []*onnx.ValueInfoProto{tensorInfo("y", m, n)},
		},
	}
	data, err := proto.Marshal(model)
	if err != nil {
		return 0, err
	}
	if err := fsutil.WriteFileAtomic(path, data, 0o644); err != nil {
		return 0, err
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return 0, err
	}
	defer so.Destroy()
	so.SetIntraOpNumThreads(threads)
	so.SetInterOpNumThreads(1)
	x := make([]float32, m*k)
	for i := range x {
		x[i] = rng.Float32()
	}
	in, err := ort.NewTensor(ort.NewShape(m, k), x)
	if err != nil {
		return 0, err
	}
	defer in.Destroy()
	out, err := ort.NewEmptyTensor[float32](ort.NewShape(m, n))
	if err != nil {
		return 0, err
	}
	defer out.Destroy()
	sess, err := ort.NewAdvancedSession(path, []string{"x"}, []string{"y"}, []ort.Value{in}, []ort.Value{out}, so)
	if err != nil {
		return 0, err
	}
	defer sess.Destroy()
	for i := 0; i < 3; i++ {
		if err := sess.Run(); err != nil {
			return 0, err
		}
	}
	const reps = 40
	t0 := time.Now()
	for i := 0; i < reps; i++ {
		if err := sess.Run(); err != nil {
			return 0, err
		}
	}
	return 2 * m * k * n * reps / time.Since(t0).Seconds() / 1e9, nil
}

func tensorInfo(name string, dims ...int64) *onnx.ValueInfoProto {
	shape := &onnx.TensorShapeProto{}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &onnx.TensorShapeProto_Dimension{Value: &onnx.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	return &onnx.ValueInfoProto{Name: name, Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{
		TensorType: &onnx.TypeProto_Tensor{ElemType: int32(onnx.TensorProto_FLOAT), Shape: shape}}}}
}
