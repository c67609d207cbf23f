package bertonnx

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/distill-ml/distill/internal/fsutil"
)

// ErrSafetensors is returned (wrapped) for a malformed safetensors file.
var ErrSafetensors = errors.New("bertonnx: bad safetensors file")

// safetensorsEntry is one tensor in a safetensors header.
type safetensorsEntry struct {
	DType       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// WriteSafetensors writes w in the safetensors format Hugging Face uses for
// state dicts (all tensors F32, names sorted), atomically:
//
//	uint64 little-endian header length N
//	N bytes of JSON: {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
//	the tensors' little-endian float32 data, back to back
//
// torch and the safetensors Python package read it as a state dict.
func WriteSafetensors(path string, w Weights) error {
	names := make([]string, 0, len(w))
	for name := range w {
		names = append(names, name)
	}
	slices.Sort(names)
	header := make(map[string]safetensorsEntry, len(w))
	var offset int64
	for _, name := range names {
		t := w[name]
		if len(t.Data) != numel(t.Shape) {
			return fmt.Errorf("bertonnx: write %s: %s has %d values for shape %v", path, name, len(t.Data), t.Shape)
		}
		n := 4 * int64(len(t.Data))
		header[name] = safetensorsEntry{DType: "F32", Shape: slices.Clone(t.Shape), DataOffsets: [2]int64{offset, offset + n}}
		offset += n
	}
	js, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("bertonnx: encode safetensors header: %w", err)
	}
	for len(js)%8 != 0 { // the format pads the header with spaces to 8 bytes
		js = append(js, ' ')
	}
	err = fsutil.WriteAtomic(path, 0o644, func(out io.Writer) error {
		bw := bufio.NewWriter(out)
		if err := binary.Write(bw, binary.LittleEndian, uint64(len(js))); err != nil {
			return err
		}
		bw.Write(js)
		var buf [4]byte
		for _, name := range names {
			for _, v := range w[name].Data {
				binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
				bw.Write(buf[:])
			}
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("bertonnx: write %s: %w", path, err)
	}
	return nil
}

// ReadSafetensors reads a safetensors file of F32 tensors (such as
// WriteSafetensors writes). An entry of another dtype is an error; the
// "__metadata__" entry is skipped.
func ReadSafetensors(path string) (Weights, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bertonnx: %w", err)
	}
	if len(data) < 8 {
		return nil, fmt.Errorf("%w: %s: %d bytes", ErrSafetensors, path, len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > uint64(len(data)-8) {
		return nil, fmt.Errorf("%w: %s: header length %d past the end", ErrSafetensors, path, n)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data[8:8+n], &raw); err != nil {
		return nil, fmt.Errorf("%w: %s: header: %v", ErrSafetensors, path, err)
	}
	body := data[8+n:]
	w := make(Weights, len(raw))
	for name, msg := range raw {
		if name == "__metadata__" {
			continue
		}
		var e safetensorsEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("%w: %s: %s: %v", ErrSafetensors, path, name, err)
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		if e.DType != "F32" || begin < 0 || end > int64(len(body)) || end-begin != 4*int64(numel(e.Shape)) {
			return nil, fmt.Errorf("%w: %s: %s: dtype %s shape %v offsets %v (want F32 inside %d data bytes)",
				ErrSafetensors, path, name, e.DType, e.Shape, e.DataOffsets, len(body))
		}
		t := Tensor{Shape: e.Shape, Data: make([]float32, numel(e.Shape))}
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[begin+4*int64(i):]))
		}
		w[name] = t
	}
	return w, nil
}
