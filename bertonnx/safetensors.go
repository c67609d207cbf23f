package bertonnx

import (
	"errors"
	"fmt"

	"github.com/distill-ml/distill/checkpoints"
)

// ErrSafetensors is returned (wrapped) for a malformed safetensors file.
var ErrSafetensors = errors.New("bertonnx: bad safetensors file")

// WriteSafetensors writes w as a safetensors file, the format Hugging Face
// uses for state dicts (F32 tensors, names sorted, {"format": "pt"}
// metadata), atomically, through package checkpoints' writer: torch and the
// safetensors Python package read it as a state dict.
func WriteSafetensors(path string, w Weights) error {
	if err := checkpoints.WriteSafetensorsFile(path, w, map[string]string{"format": "pt"}); err != nil {
		return fmt.Errorf("bertonnx: write %s: %w", path, err)
	}
	return nil
}

// ReadSafetensors reads a safetensors file (F32, or F16/BF16/F64 widened or
// narrowed to float32) as Weights.
func ReadSafetensors(path string) (Weights, error) {
	ts, _, err := checkpoints.ReadSafetensorsFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSafetensors, err)
	}
	return ts, nil
}
