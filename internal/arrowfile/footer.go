package arrowfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFooter wraps every problem CheckFooter finds.
var ErrFooter = errors.New("damaged Arrow file footer")

// magic ends (and starts) every Arrow IPC file.
const magic = "ARROW1"

// Slots of the flatbuffer tables Arrow's reader walks (format/File.fbs,
// format/Schema.fbs).
const (
	footerSchema         = 1
	schemaFields         = 1
	schemaCustomMetadata = 2
	schemaFeatures       = 3
	fieldChildren        = 5
	fieldCustomMetadata  = 6
	maxFieldDepth        = 64
)

// CheckFooter reads the footer of the Arrow IPC file r of size bytes and
// verifies every table and vector Arrow's reader sizes slices by (the
// schema's fields, recursively their children, and the metadata of the
// schema and of each field) lies inside the footer. It returns an error
// wrapping ErrFooter naming the first that does not.
func CheckFooter(r io.ReaderAt, size int64) error {
	const tail = int64(4 + len(magic))
	if size < tail+int64(len(magic)) {
		return fmt.Errorf("%w: file of %d bytes is too short", ErrFooter, size)
	}
	var end [tail]byte
	if _, err := r.ReadAt(end[:], size-tail); err != nil {
		return fmt.Errorf("%w: %v", ErrFooter, err)
	}
	if string(end[4:]) != magic {
		return fmt.Errorf("%w: no %s magic at the end", ErrFooter, magic)
	}
	n := int64(binary.LittleEndian.Uint32(end[:4]))
	if n <= 0 || n > size-tail-int64(len(magic)) {
		return fmt.Errorf("%w: footer length %d does not fit the %d-byte file", ErrFooter, n, size)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-tail-n); err != nil {
		return fmt.Errorf("%w: %v", ErrFooter, err)
	}
	fb := flatbuf(buf)
	root, err := fb.uoffset(0)
	if err != nil {
		return err
	}
	schema, ok, err := fb.tableField(root, footerSchema)
	if err != nil || !ok {
		return errors.Join(err, fmt.Errorf("%w: no schema", ErrFooter))
	}
	return fb.checkSchema(schema)
}

func (fb flatbuf) checkSchema(schema int) error {
	if err := fb.checkTableVector(schema, schemaFields, "schema fields", func(field int) error { return fb.checkField(field, 0) }); err != nil {
		return err
	}
	if err := fb.checkTableVector(schema, schemaCustomMetadata, "schema metadata", nil); err != nil {
		return err
	}
	_, err := fb.vector(schema, schemaFeatures, 8, "schema features")
	return err
}

func (fb flatbuf) checkField(field, depth int) error {
	if depth > maxFieldDepth {
		return fmt.Errorf("%w: fields nested deeper than %d", ErrFooter, maxFieldDepth)
	}
	if err := fb.checkTableVector(field, fieldChildren, "field children", func(child int) error { return fb.checkField(child, depth+1) }); err != nil {
		return err
	}
	return fb.checkTableVector(field, fieldCustomMetadata, "field metadata", nil)
}

// flatbuf is a flatbuffer's bytes, read with bounds checks.
type flatbuf []byte

func (fb flatbuf) u32(at int) (uint32, error) {
	if at < 0 || at+4 > len(fb) {
		return 0, fmt.Errorf("%w: offset %d outside the %d-byte footer", ErrFooter, at, len(fb))
	}
	return binary.LittleEndian.Uint32(fb[at:]), nil
}

func (fb flatbuf) u16(at int) (uint16, error) {
	if at < 0 || at+2 > len(fb) {
		return 0, fmt.Errorf("%w: offset %d outside the %d-byte footer", ErrFooter, at, len(fb))
	}
	return binary.LittleEndian.Uint16(fb[at:]), nil
}

// uoffset follows the unsigned offset stored at at.
func (fb flatbuf) uoffset(at int) (int, error) {
	off, err := fb.u32(at)
	if err != nil {
		return 0, err
	}
	to := int64(at) + int64(off)
	if to >= int64(len(fb)) {
		return 0, fmt.Errorf("%w: offset at %d points past the footer", ErrFooter, at)
	}
	return int(to), nil
}

// field returns the position of a table's field slot, ok false when absent.
func (fb flatbuf) field(table, slot int) (int, bool, error) {
	soff, err := fb.u32(table)
	if err != nil {
		return 0, false, err
	}
	vt := int64(table) - int64(int32(soff))
	if vt < 0 || vt >= int64(len(fb)) {
		return 0, false, fmt.Errorf("%w: vtable of the table at %d is outside the footer", ErrFooter, table)
	}
	vtLen, err := fb.u16(int(vt))
	if err != nil {
		return 0, false, err
	}
	at := 4 + 2*slot
	if at+2 > int(vtLen) {
		return 0, false, nil
	}
	off, err := fb.u16(int(vt) + at)
	if err != nil || off == 0 {
		return 0, false, err
	}
	return table + int(off), true, nil
}

// tableField returns the table a table's field points to.
func (fb flatbuf) tableField(table, slot int) (int, bool, error) {
	at, ok, err := fb.field(table, slot)
	if err != nil || !ok {
		return 0, ok, err
	}
	t, err := fb.uoffset(at)
	return t, err == nil, err
}

// vector returns the start of a table's vector field whose elements are
// elem bytes, after checking that all its elements lie in the footer.
func (fb flatbuf) vector(table, slot, elem int, what string) (vec []int, err error) {
	at, ok, err := fb.field(table, slot)
	if err != nil || !ok {
		return nil, err
	}
	start, err := fb.uoffset(at)
	if err != nil {
		return nil, err
	}
	n, err := fb.u32(start)
	if err != nil {
		return nil, err
	}
	if int64(start)+4+int64(n)*int64(elem) > int64(len(fb)) {
		return nil, fmt.Errorf("%w: %s: %d entries do not fit the %d-byte footer", ErrFooter, what, n, len(fb))
	}
	pos := make([]int, n)
	for i := range pos {
		pos[i] = start + 4 + i*elem
	}
	return pos, nil
}

// checkTableVector checks a vector of tables and calls each (when not nil)
// with every table it points to.
func (fb flatbuf) checkTableVector(table, slot int, what string, each func(int) error) error {
	elems, err := fb.vector(table, slot, 4, what)
	if err != nil {
		return err
	}
	for _, e := range elems {
		t, err := fb.uoffset(e)
		if err != nil {
			return err
		}
		if _, err := fb.u32(t); err != nil {
			return err
		}
		if each != nil {
			if err := each(t); err != nil {
				return err
			}
		}
	}
	return nil
}
