package bertonnx

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// EmbeddingRows returns the number of rows of an ONNX cross-encoder's
// token embedding table, and the table's initializer name: the first
// dimension of the initializer that the Gather of input_ids reads (BERT,
// RoBERTa and XLM-R exports from torch.onnx.export, optimum or this
// package), or, where no Gather reads input_ids directly, of the one
// initializer named …word_embeddings.weight. found is false when neither
// exists (a quantised table computed by another node, say).
//
// Only the model's structure is read: the weights' bytes are skipped with
// positioned reads, so a model of any size costs a few thousand small
// reads and no copy of its weights.
func EmbeddingRows(path string) (rows int, name string, found bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", false, fmt.Errorf("bertonnx: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, "", false, fmt.Errorf("bertonnx: %w", err)
	}
	return embeddingRows(f, st.Size(), path)
}

// embeddingRows is EmbeddingRows on the size bytes of r, named path in
// errors.
func embeddingRows(f io.ReaderAt, size int64, path string) (rows int, name string, found bool, err error) {
	r := pbReader{f: f, path: path}
	var gStart, gLen int64 = -1, 0
	err = r.fields(0, size, func(num protowire.Number, typ protowire.Type, off, n int64) error {
		if num == 7 && typ == protowire.BytesType { // ModelProto.graph
			gStart, gLen = off, n
		}
		return nil
	})
	if err != nil {
		return 0, "", false, err
	}
	if gStart < 0 {
		return 0, "", false, fmt.Errorf("%w: %s: no graph", ErrONNX, path)
	}
	var table string           // the data input of the Gather of input_ids
	dims := map[string]int64{} // first dimension of each 2-D initializer
	var byName []string        // initializers named …word_embeddings.weight
	err = r.fields(gStart, gStart+gLen, func(num protowire.Number, typ protowire.Type, off, n int64) error {
		switch {
		case num == 1 && typ == protowire.BytesType && table == "": // GraphProto.node
			b, err := r.bytes(off, n)
			if err != nil {
				return err
			}
			if t, ok := gatherOfInputIDs(b); ok {
				table = t
			}
		case num == 5 && typ == protowire.BytesType: // GraphProto.initializer
			name, d, err := r.tensorHead(off, off+n)
			if err != nil {
				return err
			}
			if len(d) == 2 {
				dims[name] = d[0]
				if strings.HasSuffix(name, "word_embeddings.weight") {
					byName = append(byName, name)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, "", false, err
	}
	if d, ok := dims[table]; ok && table != "" {
		return int(d), table, true, nil
	}
	if table == "" && len(byName) == 1 {
		return int(dims[byName[0]]), byName[0], true, nil
	}
	return 0, "", false, nil
}

// gatherOfInputIDs returns the data input of a NodeProto that is a Gather
// of input_ids.
func gatherOfInputIDs(b []byte) (string, bool) {
	var inputs []string
	var op string
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return "", false
		}
		b = b[n:]
		if typ == protowire.BytesType && (num == 1 || num == 4) { // input, op_type
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return "", false
			}
			if num == 1 {
				inputs = append(inputs, string(v))
			} else {
				op = string(v)
			}
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return "", false
		}
		b = b[m:]
	}
	if op == "Gather" && len(inputs) == 2 && inputs[1] == "input_ids" {
		return inputs[0], true
	}
	return "", false
}

// pbReader reads protobuf fields of a file by position.
type pbReader struct {
	f    io.ReaderAt
	path string
}

// errTruncated is what a field running past its message's end reads as.
var errTruncated = errors.New("truncated or malformed protobuf")

// fields calls fn with each field of the message in [start, end): its
// number, wire type and, for a length-delimited field, the offset and
// length of its bytes (for a varint, n is its value and off −1).
func (r pbReader) fields(start, end int64, fn func(num protowire.Number, typ protowire.Type, off, n int64) error) error {
	for off := start; off < end; {
		tag, k, err := r.varint(off, end)
		if err != nil {
			return err
		}
		off += int64(k)
		num, typ := protowire.DecodeTag(tag)
		if num <= 0 {
			return r.bad(off)
		}
		var valOff, val int64 = -1, 0
		switch typ {
		case protowire.VarintType:
			v, k, err := r.varint(off, end)
			if err != nil {
				return err
			}
			off += int64(k)
			val = int64(v)
		case protowire.Fixed32Type:
			off += 4
		case protowire.Fixed64Type:
			off += 8
		case protowire.BytesType:
			l, k, err := r.varint(off, end)
			if err != nil {
				return err
			}
			off += int64(k)
			if l > uint64(end-off) {
				return r.bad(off)
			}
			valOff, val = off, int64(l)
			off += int64(l)
		default:
			return r.bad(off)
		}
		if off > end {
			return r.bad(off)
		}
		if err := fn(num, typ, valOff, val); err != nil {
			return err
		}
	}
	return nil
}

// tensorHead returns the name and dimensions of the TensorProto in
// [start, end), skipping its data.
func (r pbReader) tensorHead(start, end int64) (name string, dims []int64, err error) {
	err = r.fields(start, end, func(num protowire.Number, typ protowire.Type, off, n int64) error {
		switch {
		case num == 1 && typ == protowire.VarintType: // dims, unpacked
			dims = append(dims, n)
		case num == 1 && typ == protowire.BytesType: // dims, packed
			b, err := r.bytes(off, n)
			if err != nil {
				return err
			}
			for len(b) > 0 {
				v, k := protowire.ConsumeVarint(b)
				if k < 0 {
					return r.bad(off)
				}
				dims, b = append(dims, int64(v)), b[k:]
			}
		case num == 8 && typ == protowire.BytesType: // name
			b, err := r.bytes(off, n)
			if err != nil {
				return err
			}
			name = string(b)
		}
		return nil
	})
	return name, dims, err
}

// varint reads the varint at off, which must end before end.
func (r pbReader) varint(off, end int64) (uint64, int, error) {
	var buf [binary.MaxVarintLen64]byte
	n := min(int64(len(buf)), end-off)
	if n <= 0 {
		return 0, 0, r.bad(off)
	}
	if _, err := r.f.ReadAt(buf[:n], off); err != nil && !errors.Is(err, io.EOF) {
		return 0, 0, fmt.Errorf("bertonnx: %s: %w", r.path, err)
	}
	v, k := protowire.ConsumeVarint(buf[:n])
	if k < 0 {
		return 0, 0, r.bad(off)
	}
	return v, k, nil
}

// bytes reads n bytes at off.
func (r pbReader) bytes(off, n int64) ([]byte, error) {
	b := make([]byte, n)
	if _, err := r.f.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("bertonnx: %s: %w", r.path, err)
	}
	return b, nil
}

func (r pbReader) bad(off int64) error {
	return fmt.Errorf("%w: %s: %v at byte %d", ErrONNX, r.path, errTruncated, off)
}
