package checkpoints

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A tiny file written by hand from the spec:
//
//	header = {"__metadata__":{"format":"pt"},
//	          "a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
//	          "b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}   138 bytes
//	8 + 138 = 146 → 6 spaces of padding so the data starts at byte 152 = 19·8
//	N = 144 = 0x90 → 90 00 00 00 00 00 00 00
//	data: a = [1, −2] → 0000803f 000000c0; b = 0.5 → 0000003f
const tinyHeader = `{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}      `

func tinyFile(t *testing.T) []byte {
	t.Helper()
	data, err := hex.DecodeString("9000000000000000")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, tinyHeader...)
	d, _ := hex.DecodeString("0000803f000000c00000003f")
	return append(data, d...)
}

func TestWriteSafetensorsBytes(t *testing.T) {
	var buf bytes.Buffer
	err := WriteSafetensors(&buf, map[string]Tensor{
		"b": {Shape: []int{}, Data: []float32{0.5}},
		"a": {Shape: []int{2}, Data: []float32{1, -2}},
	}, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	if want := tinyFile(t); !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("bytes differ from the hand-written file:\n got %q\nwant %q", buf.Bytes(), want)
	}
	if (8+len(tinyHeader))%8 != 0 {
		t.Fatalf("test header misaligned")
	}
}

func TestReadSafetensorsHandWritten(t *testing.T) {
	tensors, meta, err := ReadSafetensors(tinyFile(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Tensor{"a": {Shape: []int{2}, Data: []float32{1, -2}}, "b": {Shape: []int{}, Data: []float32{0.5}}}
	if !reflect.DeepEqual(tensors, want) {
		t.Errorf("tensors = %v, want %v", tensors, want)
	}
	if meta["format"] != "pt" || len(meta) != 1 {
		t.Errorf("metadata = %v", meta)
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	in := map[string]Tensor{
		"bert.embeddings.word_embeddings.weight":           {Shape: []int{5, 3}, Data: seq(15, 0.25)},
		"bert.encoder.layer.0.attention.self.query.weight": {Shape: []int{3, 3}, Data: seq(9, -1.5)},
		"bert.encoder.layer.0.attention.self.query.bias":   {Shape: []int{3}, Data: []float32{float32(math.Inf(1)), -0, math.SmallestNonzeroFloat32}},
		"empty":        {Shape: []int{0, 4}, Data: []float32{}},
		"scalar":       {Shape: []int{}, Data: []float32{42}},
		"odd <name> &": {Shape: []int{1}, Data: []float32{7}},
	}
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := WriteSafetensorsFile(path, in, map[string]string{"format": "pt", "note": "ünïcode"}); err != nil {
		t.Fatal(err)
	}
	out, meta, err := ReadSafetensorsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta["note"] != "ünïcode" {
		t.Errorf("metadata = %v", meta)
	}
	if len(out) != len(in) {
		t.Fatalf("%d tensors back, want %d", len(out), len(in))
	}
	for name, w := range in {
		g := out[name]
		if !reflect.DeepEqual(g.Shape, w.Shape) || !reflect.DeepEqual(g.Data, w.Data) {
			t.Errorf("%s: got %v, want %v", name, g, w)
		}
	}
	raw, _ := os.ReadFile(path)
	n := binary.LittleEndian.Uint64(raw)
	if (8+n)%8 != 0 {
		t.Errorf("data starts at byte %d, not 8-byte aligned", 8+n)
	}
	if bytes.Contains(raw[8:8+n], []byte(`\u003c`)) {
		t.Error("tensor names HTML-escaped in the header")
	}
}

func TestReadSafetensorsHalfTypes(t *testing.T) {
	f16 := []uint16{0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00, 0x8000}
	f16Want := []float32{1, -2, 0.5, 65504, 5.9604645e-8, float32(math.Inf(1)), float32(math.Copysign(0, -1))}
	bf16 := []uint16{0x3F80, 0xC020, 0x4049}
	bf16Want := []float32{1, -2.5, 3.140625}
	var data []byte
	for _, v := range append(append([]uint16{}, f16...), bf16...) {
		data = binary.LittleEndian.AppendUint16(data, v)
	}
	data = binary.LittleEndian.AppendUint64(data, math.Float64bits(0.1))
	header := `{"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]},"b":{"dtype":"BF16","shape":[3,1],"data_offsets":[14,20]},"d":{"dtype":"F64","shape":[1],"data_offsets":[20,28]}}`
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	file = append(append(file, header...), data...)
	tensors, _, err := ReadSafetensors(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := tensors["h"].Data; !reflect.DeepEqual(got, f16Want) || math.Signbit(float64(got[6])) == false {
		t.Errorf("F16 = %v, want %v", got, f16Want)
	}
	if got := tensors["b"]; !reflect.DeepEqual(got.Data, bf16Want) || !reflect.DeepEqual(got.Shape, []int{3, 1}) {
		t.Errorf("BF16 = %v, want %v", got, bf16Want)
	}
	if got := tensors["d"].Data; got[0] != float32(0.1) {
		t.Errorf("F64 = %v, want 0.1", got)
	}
	nanHeader := `{"n":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}`
	nan, _, err := ReadSafetensors(append(append(binary.LittleEndian.AppendUint64(nil, uint64(len(nanHeader))), nanHeader...), 0x01, 0x7E))
	if err != nil || !math.IsNaN(float64(nan["n"].Data[0])) {
		t.Errorf("F16 NaN = %v, %v", nan["n"].Data, err)
	}
}

func TestParseSafetensorsMalformed(t *testing.T) {
	file := func(header string, data int) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		return append(append(b, header...), make([]byte, data)...)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"7 bytes", []byte{1, 2, 3, 4, 5, 6, 7}},
		{"header past end", binary.LittleEndian.AppendUint64(nil, 100)},
		{"huge header", binary.LittleEndian.AppendUint64(nil, math.MaxUint64)},
		{"not an object", file(`["a"]`, 0)},
		{"bad JSON", file(`{"a":`, 0)},
		{"unknown dtype", file(`{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}`, 8)},
		{"size mismatch", file(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 8)},
		{"reversed offsets", file(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}`, 8)},
		{"three offsets", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, 8)},
		{"negative dim", file(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4)},
		{"overflowing shape", file(`{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`, 0)},
		{"hole", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8)},
		{"overlap", file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8)},
		{"trailing data", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 8)},
		{"truncated data", file(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, 8)},
		{"metadata not strings", file(`{"__metadata__":{"a":1}}`, 0)},
		{"null entry", file(`{"a":null}`, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, _, err := ReadSafetensors(c.data); !errors.Is(err, ErrSafetensors) {
				t.Errorf("err = %v, want ErrSafetensors", err)
			}
		})
	}
	if _, _, err := ReadSafetensors(file(`{}`, 0)); err != nil {
		t.Errorf("empty header rejected: %v", err)
	}
}

func TestWriteSafetensorsInvalid(t *testing.T) {
	for name, tensors := range map[string]map[string]Tensor{
		"short data":    {"a": {Shape: []int{2, 2}, Data: []float32{1}}},
		"negative dim":  {"a": {Shape: []int{-1}, Data: nil}},
		"reserved name": {"__metadata__": {Shape: []int{1}, Data: []float32{1}}},
		"invalid UTF-8": {"\xff": {Shape: []int{1}, Data: []float32{1}}},
	} {
		if err := WriteSafetensors(&bytes.Buffer{}, tensors, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzParseSafetensors feeds arbitrary bytes to the reader: it must never
// panic, and whatever it accepts must survive a write/read round trip.
func FuzzParseSafetensors(f *testing.F) {
	f.Add(tinyFile(&testing.T{}))
	f.Add([]byte{})
	f.Add(binary.LittleEndian.AppendUint64(nil, 2))
	f.Add(append(binary.LittleEndian.AppendUint64(nil, 2), "{}"...))
	f.Add(append(binary.LittleEndian.AppendUint64(nil, 54), `{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}`+"\x00\x3c"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		tensors, meta, err := ReadSafetensors(data)
		if err != nil {
			if !errors.Is(err, ErrSafetensors) {
				t.Fatalf("error does not wrap ErrSafetensors: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, tensors, meta); err != nil {
			return // e.g. a name that is not valid UTF-8
		}
		again, _, err := ReadSafetensors(buf.Bytes())
		if err != nil {
			t.Fatalf("re-read of a rewritten file: %v", err)
		}
		if len(again) != len(tensors) {
			t.Fatalf("%d tensors after a round trip, want %d", len(again), len(tensors))
		}
		for name, w := range tensors {
			g := again[name]
			if len(g.Data) != len(w.Data) || !reflect.DeepEqual(g.Shape, w.Shape) {
				t.Fatalf("%q changed in a round trip", name)
			}
			for i := range g.Data {
				if math.Float32bits(g.Data[i]) != math.Float32bits(w.Data[i]) {
					t.Fatalf("%q[%d] changed in a round trip", name, i)
				}
			}
		}
	})
}

func seq(n int, start float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = start + float32(i)*0.5
	}
	return out
}
