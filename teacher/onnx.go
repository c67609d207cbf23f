package teacher

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/distill-ml/distill/internal/half"
	"github.com/distill-ml/distill/internal/ortlib"
	"github.com/distill-ml/distill/tokenizer"
)

// ONNXOptions configures the ONNX Runtime scorer.
type ONNXOptions struct {
	// LibraryPath points at libonnxruntime.so; empty searches the defaults
	// (see package internal/ortlib).
	LibraryPath string
	// Threads is the number of intra-op threads per session (0: ONNX
	// Runtime's default, one per core).
	Threads int
	// Sessions is the number of sessions run concurrently (default 1).
	Sessions int
	// Device is "cpu" (default) or "cuda".
	Device string
}

// ModelInfo is what was discovered about a model's inputs and outputs.
type ModelInfo struct {
	InputNames []string // in the model's order
	Int32      []bool   // per input: declared int32 rather than int64
	HasTypes   bool
	Output     string
	Float16    bool // the output is float16 (a --fp16 export) rather than float32
	OutputRank int  // 1 ([batch]) or 2 ([batch, labels])
	NumLabels  int  // 1 or 2; 0 when the model leaves it dynamic
}

// input roles a cross-encoder may have.
const (
	roleIDs   = "input_ids"
	roleMask  = "attention_mask"
	roleTypes = "token_type_ids"
)

// ErrNoCUDA is returned when --device cuda is asked of an ONNX Runtime
// library built without the CUDA execution provider.
var ErrNoCUDA = errors.New("teacher: this ONNX Runtime library has no CUDA execution provider")

// ONNXScorer runs a cross-encoder with ONNX Runtime. Score is safe for
// concurrent use; each call takes one of the scorer's sessions.
type ONNXScorer struct {
	Info     ModelInfo
	sessions chan *ort.DynamicAdvancedSession
	all      []*ort.DynamicAdvancedSession
	once     sync.Once
}

var _ Scorer = (*ONNXScorer)(nil)

// InspectModel discovers a model's cross-encoder inputs and output.
func InspectModel(path string) (ModelInfo, error) {
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return ModelInfo{}, fmt.Errorf("teacher: read model %s: %w", path, err)
	}
	var info ModelInfo
	seen := map[string]bool{}
	for _, in := range ins {
		switch in.Name {
		case roleIDs, roleMask, roleTypes:
		default:
			return info, fmt.Errorf("teacher: model %s: input %q is not a cross-encoder input (want %s, %s and optionally %s)", path, in.Name, roleIDs, roleMask, roleTypes)
		}
		if in.DataType != ort.TensorElementDataTypeInt64 && in.DataType != ort.TensorElementDataTypeInt32 {
			return info, fmt.Errorf("teacher: model %s: input %q is %s, want int64 or int32", path, in.Name, in.DataType)
		}
		if len(in.Dimensions) != 2 {
			return info, fmt.Errorf("teacher: model %s: input %q has shape %v, want [batch, sequence]", path, in.Name, in.Dimensions)
		}
		seen[in.Name] = true
		info.InputNames = append(info.InputNames, in.Name)
		info.Int32 = append(info.Int32, in.DataType == ort.TensorElementDataTypeInt32)
	}
	if !seen[roleIDs] || !seen[roleMask] {
		return info, fmt.Errorf("teacher: model %s: inputs %v lack %s or %s", path, info.InputNames, roleIDs, roleMask)
	}
	info.HasTypes = seen[roleTypes]
	if len(outs) == 0 {
		return info, fmt.Errorf("teacher: model %s has no outputs", path)
	}
	out := outs[0]
	for _, o := range outs {
		if o.Name == "logits" {
			out = o
		}
	}
	switch out.DataType {
	case ort.TensorElementDataTypeFloat:
	case ort.TensorElementDataTypeFloat16:
		info.Float16 = true
	default:
		return info, fmt.Errorf("teacher: model %s: output %q is %s, want float32 or float16", path, out.Name, out.DataType)
	}
	info.Output = out.Name
	info.OutputRank = len(out.Dimensions)
	switch {
	case len(out.Dimensions) == 1:
		info.NumLabels = 1
	case len(out.Dimensions) == 2 && (out.Dimensions[1] == 1 || out.Dimensions[1] == 2):
		info.NumLabels = int(out.Dimensions[1])
	case len(out.Dimensions) == 2 && out.Dimensions[1] < 0:
		info.NumLabels = 0 // decided on the first batch
	default:
		return info, fmt.Errorf("teacher: model %s: output %q has shape %v, want [batch, 1] or [batch, 2]", path, out.Name, out.Dimensions)
	}
	if info.Float16 && info.NumLabels == 0 {
		// float16 outputs are read into a tensor allocated before the run.
		return info, fmt.Errorf("teacher: model %s: float16 output %q has a dynamic label dimension %v; want [batch, 1] or [batch, 2]", path, out.Name, out.Dimensions)
	}
	return info, nil
}

// NewONNXScorer loads the model into opts.Sessions sessions.
func NewONNXScorer(path string, opts ONNXOptions) (*ONNXScorer, error) {
	if _, err := ortlib.Init(opts.LibraryPath); err != nil {
		return nil, err
	}
	info, err := InspectModel(path)
	if err != nil {
		return nil, err
	}
	n := max(opts.Sessions, 1)
	s := &ONNXScorer{Info: info, sessions: make(chan *ort.DynamicAdvancedSession, n)}
	for i := 0; i < n; i++ {
		sess, err := newSession(path, info, opts)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.all = append(s.all, sess)
		s.sessions <- sess
	}
	return s, nil
}

func newSession(path string, info ModelInfo, opts ONNXOptions) (*ort.DynamicAdvancedSession, error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("teacher: session options: %w", err)
	}
	defer so.Destroy()
	if opts.Threads > 0 {
		if err := so.SetIntraOpNumThreads(opts.Threads); err != nil {
			return nil, fmt.Errorf("teacher: set %d threads: %w", opts.Threads, err)
		}
		if err := so.SetInterOpNumThreads(1); err != nil {
			return nil, err
		}
	}
	switch strings.ToLower(opts.Device) {
	case "", "cpu":
	case "cuda", "gpu":
		cuda, err := ort.NewCUDAProviderOptions()
		if err != nil {
			return nil, noCUDA(err)
		}
		defer cuda.Destroy()
		if err := so.AppendExecutionProviderCUDA(cuda); err != nil {
			return nil, noCUDA(err)
		}
	default:
		return nil, fmt.Errorf("teacher: unknown device %q (want cpu or cuda)", opts.Device)
	}
	sess, err := ort.NewDynamicAdvancedSession(path, info.InputNames, []string{info.Output}, so)
	if err != nil {
		return nil, fmt.Errorf("teacher: load model %s: %w", path, err)
	}
	return sess, nil
}

// Score runs one batch and returns one score per pair: the logit of a
// one-logit head, or logit[1] − logit[0] of a two-class head.
func (s *ONNXScorer) Score(b *tokenizer.Batch) ([]float32, error) {
	sess := <-s.sessions
	defer func() { s.sessions <- sess }()
	shape := ort.NewShape(int64(b.Size), int64(b.Len))
	inputs := make([]ort.Value, 0, 3)
	defer func() {
		for _, v := range inputs {
			v.Destroy()
		}
	}()
	for i, name := range s.Info.InputNames {
		var data []int32
		switch name {
		case roleIDs:
			data = b.IDs
		case roleMask:
			data = b.Mask
		case roleTypes:
			data = b.TypeIDs
		}
		var t ort.Value
		var err error
		if s.Info.Int32[i] {
			t, err = ort.NewTensor(shape, data)
		} else {
			wide := make([]int64, len(data))
			for j, v := range data {
				wide[j] = int64(v)
			}
			t, err = ort.NewTensor(shape, wide)
		}
		if err != nil {
			return nil, fmt.Errorf("teacher: input tensor %s: %w", name, err)
		}
		inputs = append(inputs, t)
	}
	if s.Info.Float16 {
		return s.scoreFloat16(sess, inputs, b)
	}
	outputs := []ort.Value{nil}
	if err := sess.Run(inputs, outputs); err != nil {
		return nil, fmt.Errorf("teacher: run batch of %d×%d: %w", b.Size, b.Len, err)
	}
	out, ok := outputs[0].(*ort.Tensor[float32])
	if !ok {
		if outputs[0] != nil {
			outputs[0].Destroy()
		}
		return nil, fmt.Errorf("teacher: output %s is not a float32 tensor", s.Info.Output)
	}
	defer out.Destroy()
	return logitsToScores(out.GetData(), out.GetShape(), b.Size)
}

// scoreFloat16 runs a model whose output is float16 into a tensor allocated
// here (onnxruntime_go copies too few bytes of a float16 output it
// allocates itself) and widens the logits to float32.
func (s *ONNXScorer) scoreFloat16(sess *ort.DynamicAdvancedSession, inputs []ort.Value, b *tokenizer.Batch) ([]float32, error) {
	shape := ort.NewShape(int64(b.Size))
	if s.Info.OutputRank == 2 {
		shape = ort.NewShape(int64(b.Size), int64(s.Info.NumLabels))
	}
	raw := make([]byte, 2*shape.FlattenedSize())
	out, err := ort.NewCustomDataTensor(shape, raw, ort.TensorElementDataTypeFloat16)
	if err != nil {
		return nil, fmt.Errorf("teacher: output tensor %s: %w", s.Info.Output, err)
	}
	defer out.Destroy()
	if err := sess.Run(inputs, []ort.Value{out}); err != nil {
		return nil, fmt.Errorf("teacher: run batch of %d×%d: %w", b.Size, b.Len, err)
	}
	logits := make([]float32, len(raw)/2)
	for i := range logits {
		logits[i] = half.ToFloat32(binary.LittleEndian.Uint16(raw[2*i:]))
	}
	return logitsToScores(logits, shape, b.Size)
}

// logitsToScores turns [batch], [batch,1] or [batch,2] logits into scores.
func logitsToScores(data []float32, shape ort.Shape, batch int) ([]float32, error) {
	labels := 1
	if len(shape) == 2 {
		labels = int(shape[1])
	}
	if len(shape) == 0 || int(shape[0]) != batch || (labels != 1 && labels != 2) || len(data) != batch*labels {
		return nil, fmt.Errorf("teacher: output shape %v for a batch of %d, want [%d, 1] or [%d, 2]", shape, batch, batch, batch)
	}
	scores := make([]float32, batch)
	for i := range scores {
		if labels == 1 {
			scores[i] = data[i]
		} else {
			scores[i] = data[2*i+1] - data[2*i]
		}
	}
	return scores, nil
}

// Close releases the sessions.
func (s *ONNXScorer) Close() error {
	s.once.Do(func() {
		for _, sess := range s.all {
			sess.Destroy()
		}
	})
	return nil
}

// noCUDA is ErrNoCUDA with ONNX Runtime's reason and the remedy.
func noCUDA(reason error) error {
	return fmt.Errorf("%w (%v): load a GPU build of libonnxruntime.so (onnxruntime-gpu) through ONNXOptions.LibraryPath or $%s", ErrNoCUDA, reason, ortlib.EnvVar)
}
