package checkpoints

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/internal/half"
)

// The safetensors format (https://huggingface.co/docs/safetensors, spec in
// huggingface/safetensors README):
//
//	8 bytes    N, little-endian uint64: the header's length
//	N bytes    header: UTF-8 JSON object, starting with '{', optionally
//	           padded with trailing spaces (0x20)
//	rest       byte buffer: every tensor's raw little-endian values
//
// The header maps each tensor name to
//
//	{"dtype":"F32","shape":[768,384],"data_offsets":[begin,end]}
//
// with offsets relative to the start of the byte buffer, and may hold a
// "__metadata__" object of string to string. The tensors must cover the
// buffer exactly, without holes or overlaps, and end-begin must equal the
// element count times the dtype's size.
//
// WriteSafetensors writes F32 only, tensors in name order, and pads the
// header with spaces so that the byte buffer starts at a multiple of 8 bytes.
// ReadSafetensors accepts F32, F64, F16 and BF16 and returns float32.

// MaxHeaderSize bounds the JSON header length a reader accepts (the Rust
// safetensors implementation uses the same 100 MB limit).
const MaxHeaderSize = 100_000_000

// metadataKey is the reserved header key of the free-form metadata.
const metadataKey = "__metadata__"

// ErrSafetensors is wrapped by every error about a malformed safetensors file.
var ErrSafetensors = errors.New("invalid safetensors data")

// TensorInfo is one header entry of a safetensors file.
type TensorInfo struct {
	Name        string
	Dtype       string    // "F32", "F16", "BF16", "F64"
	Shape       []int     // empty for a scalar
	DataOffsets [2]uint64 // [begin, end) within the byte buffer
}

// Header is a parsed safetensors header.
type Header struct {
	Tensors  []TensorInfo // in data order
	Metadata map[string]string
	DataAt   int64 // offset of the byte buffer in the file: 8 + N
}

// dtypeSize is the byte size of each supported dtype.
var dtypeSize = map[string]uint64{"F32": 4, "F64": 8, "F16": 2, "BF16": 2}

// safetensorsError wraps ErrSafetensors with a description.
func safetensorsError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSafetensors, fmt.Sprintf(format, args...))
}

// ParseSafetensorsHeader parses and validates the header at the start of
// data, where fileSize is the length of the whole file (data may hold only
// the header's prefix). It never panics on malformed input.
func ParseSafetensorsHeader(data []byte, fileSize int64) (*Header, error) {
	if len(data) < 8 || fileSize < 8 {
		return nil, safetensorsError("file is %d bytes, shorter than the 8-byte header length", min(int64(len(data)), fileSize))
	}
	n := binary.LittleEndian.Uint64(data[:8])
	if n > MaxHeaderSize {
		return nil, safetensorsError("header length %d exceeds the %d-byte limit", n, MaxHeaderSize)
	}
	if n+8 > uint64(fileSize) || n+8 > uint64(len(data)) {
		return nil, safetensorsError("header length %d runs past the end of the %d-byte file", n, fileSize)
	}
	raw := data[8 : 8+n]
	if len(raw) == 0 || raw[0] != '{' {
		return nil, safetensorsError("header does not start with '{'")
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimRight(raw, " "), &entries); err != nil {
		return nil, safetensorsError("header JSON: %v", err)
	}
	h := &Header{DataAt: int64(8 + n)}
	for name, msg := range entries {
		if name == metadataKey {
			if err := json.Unmarshal(msg, &h.Metadata); err != nil {
				return nil, safetensorsError("__metadata__ must map strings to strings: %v", err)
			}
			continue
		}
		info, err := parseTensorInfo(name, msg)
		if err != nil {
			return nil, err
		}
		h.Tensors = append(h.Tensors, info)
	}
	if err := h.checkLayout(uint64(fileSize) - (8 + n)); err != nil {
		return nil, err
	}
	return h, nil
}

func parseTensorInfo(name string, msg json.RawMessage) (TensorInfo, error) {
	var e struct {
		Dtype       string   `json:"dtype"`
		Shape       []int64  `json:"shape"`
		DataOffsets []uint64 `json:"data_offsets"`
	}
	if err := json.Unmarshal(msg, &e); err != nil {
		return TensorInfo{}, safetensorsError("tensor %q: %v", name, err)
	}
	size, ok := dtypeSize[e.Dtype]
	if !ok {
		return TensorInfo{}, safetensorsError("tensor %q: unsupported dtype %q (want F32, F64, F16 or BF16)", name, e.Dtype)
	}
	if len(e.DataOffsets) != 2 || e.DataOffsets[0] > e.DataOffsets[1] {
		return TensorInfo{}, safetensorsError("tensor %q: data_offsets %v is not [begin, end] with begin ≤ end", name, e.DataOffsets)
	}
	info := TensorInfo{Name: name, Dtype: e.Dtype, Shape: make([]int, len(e.Shape)), DataOffsets: [2]uint64{e.DataOffsets[0], e.DataOffsets[1]}}
	count := uint64(1)
	for i, d := range e.Shape {
		if d < 0 || (d > 0 && count > maxElements/uint64(d)) {
			return TensorInfo{}, safetensorsError("tensor %q: invalid shape %v", name, e.Shape)
		}
		count *= uint64(d)
		info.Shape[i] = int(d)
	}
	if want := count * size; info.DataOffsets[1]-info.DataOffsets[0] != want {
		return TensorInfo{}, safetensorsError("tensor %q: %s %v needs %d bytes, data_offsets %v span %d",
			name, e.Dtype, e.Shape, want, e.DataOffsets, info.DataOffsets[1]-info.DataOffsets[0])
	}
	return info, nil
}

// checkLayout sorts the tensors by offset and verifies that they tile the
// byte buffer of length bufLen exactly.
func (h *Header) checkLayout(bufLen uint64) error {
	sort.Slice(h.Tensors, func(i, j int) bool {
		a, b := h.Tensors[i].DataOffsets, h.Tensors[j].DataOffsets
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		if a[1] != b[1] {
			return a[1] < b[1]
		}
		return h.Tensors[i].Name < h.Tensors[j].Name
	})
	var end uint64
	for _, t := range h.Tensors {
		if t.DataOffsets[0] != end {
			return safetensorsError("tensor %q starts at byte %d, want %d (holes or overlaps in the byte buffer)", t.Name, t.DataOffsets[0], end)
		}
		end = t.DataOffsets[1]
	}
	if end != bufLen {
		return safetensorsError("tensors cover %d bytes, the byte buffer has %d (truncated or trailing data)", end, bufLen)
	}
	return nil
}

// ReadSafetensors decodes a whole safetensors file held in data, converting
// every tensor to float32.
func ReadSafetensors(data []byte) (map[string]Tensor, map[string]string, error) {
	h, err := ParseSafetensorsHeader(data, int64(len(data)))
	if err != nil {
		return nil, nil, err
	}
	buf := data[h.DataAt:]
	out := make(map[string]Tensor, len(h.Tensors))
	for _, info := range h.Tensors {
		out[info.Name] = Tensor{Shape: info.Shape, Data: decodeFloats(info.Dtype, buf[info.DataOffsets[0]:info.DataOffsets[1]])}
	}
	return out, h.Metadata, nil
}

// ReadSafetensorsFile reads a safetensors file, such as a Hugging Face
// model.safetensors given to --init-from.
func ReadSafetensorsFile(path string) (map[string]Tensor, map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoints: read %s: %w", path, err)
	}
	t, m, err := ReadSafetensors(data)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoints: %s: %w", path, err)
	}
	return t, m, nil
}

func decodeFloats(dtype string, b []byte) []float32 {
	le := binary.LittleEndian
	switch dtype {
	case "F32":
		return decodeEach(b, 4, func(v []byte) float32 { return math.Float32frombits(le.Uint32(v)) })
	case "F64":
		return decodeEach(b, 8, func(v []byte) float32 { return float32(math.Float64frombits(le.Uint64(v))) })
	case "F16":
		return decodeEach(b, 2, func(v []byte) float32 { return half.ToFloat32(le.Uint16(v)) })
	case "BF16":
		return decodeEach(b, 2, func(v []byte) float32 { return math.Float32frombits(uint32(le.Uint16(v)) << 16) })
	}
	return nil
}

// decodeEach converts each width-byte value of b to a float32.
func decodeEach(b []byte, width int, conv func([]byte) float32) []float32 {
	out := make([]float32, len(b)/width)
	for i := range out {
		out[i] = conv(b[width*i:])
	}
	return out
}

// WriteSafetensors writes tensors as F32 with the given metadata (nil for
// none). The header lists tensors in name order and is padded with spaces to
// a multiple of 8 bytes.
func WriteSafetensors(w io.Writer, tensors map[string]Tensor, metadata map[string]string) error {
	header, err := encodeHeader(tensors, metadata)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	bw.Write(n[:])
	bw.Write(header)
	var b [4]byte
	for _, name := range sortedNames(tensors) {
		for _, v := range tensors[name].Data {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			bw.Write(b[:])
		}
	}
	return bw.Flush()
}

// WriteSafetensorsFile writes a safetensors file atomically (fsynced, then
// renamed into place).
func WriteSafetensorsFile(path string, tensors map[string]Tensor, metadata map[string]string) error {
	return fsutil.WriteAtomic(path, 0o644, func(w io.Writer) error {
		return WriteSafetensors(w, tensors, metadata)
	})
}

// encodeHeader returns the padded JSON header, with keys in byte order:
// "__metadata__" first, then the tensor names.
func encodeHeader(tensors map[string]Tensor, metadata map[string]string) ([]byte, error) {
	var sb strings.Builder
	sb.WriteByte('{')
	if len(metadata) > 0 {
		sb.WriteString(`"` + metadataKey + `":{`)
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(jsonString(k) + ":" + jsonString(metadata[k]))
		}
		sb.WriteByte('}')
	}
	var offset uint64
	for i, name := range sortedNames(tensors) {
		if name == metadataKey || name == "" || !utf8.ValidString(name) {
			return nil, fmt.Errorf("checkpoints: safetensors: invalid tensor name %q", name)
		}
		t := tensors[name]
		if err := t.Validate(); err != nil {
			return nil, fmt.Errorf("checkpoints: safetensors: tensor %q: %w", name, err)
		}
		if i > 0 || len(metadata) > 0 {
			sb.WriteByte(',')
		}
		end := offset + 4*uint64(len(t.Data))
		shape, _ := json.Marshal(append([]int{}, t.Shape...))
		fmt.Fprintf(&sb, `%s:{"dtype":"F32","shape":%s,"data_offsets":[%d,%d]}`, jsonString(name), shape, offset, end)
		offset = end
	}
	sb.WriteByte('}')
	for (8+sb.Len())%8 != 0 {
		sb.WriteByte(' ')
	}
	return []byte(sb.String()), nil
}

// jsonString quotes s as JSON without escaping <, > and &.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedNames(tensors map[string]Tensor) []string {
	names := make([]string, 0, len(tensors))
	for name := range tensors {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
