package datasets

import (
	"errors"
	"fmt"
	"strings"
)

// SMARTRecord is one record of a SMART-format collection file (Cranfield,
// CISI, MED, CACM). Field text has its white space collapsed to single spaces.
type SMARTRecord struct {
	ID           string // the .I value, leading zeros dropped ("001" → "1")
	Line         int    // the line of the .I marker
	Title        string // .T
	Author       string // .A
	Bibliography string // .B
	Text         string // .W
}

// Document returns the record as a corpus document.
func (r SMARTRecord) Document() Document {
	return Document{ID: r.ID, Title: r.Title, Text: r.Text}
}

// Query returns the record as a query: its title and text joined by a space
// (SMART queries usually have only .W).
func (r SMARTRecord) Query() Query {
	return Query{ID: r.ID, Text: r.Document().FullText()}
}

// ForEachSMARTRecord calls fn for each record of a SMART file:
//
//	.I 1
//	.T
//	experimental investigation of the aerodynamics of a
//	wing in a slipstream .
//	.A
//	brenckman,m.
//	.B
//	j. ae. scs. 25, 1958, 324.
//	.W
//	experimental investigation of the aerodynamics of a
//	...
//
// A marker is a line of a dot, one capital letter and nothing else or a
// space and text (which starts the field). A record starts at ".I id". The
// fields .T, .A, .B and .W are kept; other markers (.X cross references in
// CISI, .K, .C, .N in CACM) start fields that are dropped. A marker naming a
// field the record already has does not start a new field: the marker line is
// dropped and the lines after it continue the current field (Cranfield
// documents 240, 576 and 578 have such stray markers inside their abstracts;
// CISI repeats .A once per author). Blank lines before the first .I are
// skipped; other text there is an error.
func ForEachSMARTRecord(path string, fn func(SMARTRecord) error) error {
	return withLines(path, func(lr *lineReader) error {
		return forEachSMARTRecord(lr, fn)
	})
}

// ReadSMART reads all the records of a SMART file (see ForEachSMARTRecord).
func ReadSMART(path string) ([]SMARTRecord, error) {
	var recs []SMARTRecord
	err := ForEachSMARTRecord(path, func(r SMARTRecord) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// smartRecord accumulates the fields of the record being read.
type smartRecord struct {
	rec    SMARTRecord
	fields map[byte]*strings.Builder
	seen   map[byte]bool
	cur    byte // letter of the current field; 0 before the first field
}

func forEachSMARTRecord(lr *lineReader, fn func(SMARTRecord) error) error {
	var r *smartRecord
	for {
		b, ok := lr.next()
		if !ok {
			if err := lr.err(); err != nil {
				return err
			}
			if r != nil {
				return fn(r.finish())
			}
			return nil
		}
		line := strings.TrimRight(string(b), " \t\r")
		letter, rest, isMarker := smartMarker(line)
		switch {
		case isMarker && letter == 'I':
			id, err := smartID(rest)
			if err != nil {
				return parseErr(lr.file, lr.line, ".I", err)
			}
			if r != nil {
				if err := fn(r.finish()); err != nil {
					return err
				}
			}
			r = newSMARTRecord(id, lr.line)
		case r == nil:
			if strings.TrimSpace(line) != "" {
				return parseErr(lr.file, lr.line, "", errors.New("text before the first .I marker"))
			}
		case isMarker:
			r.marker(letter, rest)
		case r.cur == 0:
			if strings.TrimSpace(line) != "" {
				return parseErr(lr.file, lr.line, "", fmt.Errorf("text after .I %s before any field marker", r.rec.ID))
			}
		default:
			r.appendLine(line)
		}
	}
}

// smartMarker recognises ".X" and ".X rest" lines.
func smartMarker(line string) (letter byte, rest string, ok bool) {
	if len(line) < 2 || line[0] != '.' || line[1] < 'A' || line[1] > 'Z' {
		return 0, "", false
	}
	if len(line) > 2 && line[2] != ' ' && line[2] != '\t' {
		return 0, "", false
	}
	return line[1], strings.TrimSpace(line[2:]), true
}

// smartID validates the value of a .I marker and drops leading zeros from a
// number.
func smartID(s string) (string, error) {
	if s == "" {
		return "", ErrMissing
	}
	if strings.ContainsAny(s, " \t") {
		return "", fmt.Errorf("want one id, got %q", s)
	}
	return trimZeros(s), nil
}

// trimZeros turns "001" into "1" for all-digit ids; other ids are unchanged.
func trimZeros(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

func newSMARTRecord(id string, line int) *smartRecord {
	return &smartRecord{
		rec:    SMARTRecord{ID: id, Line: line},
		fields: map[byte]*strings.Builder{},
		seen:   map[byte]bool{},
	}
}

func (r *smartRecord) marker(letter byte, rest string) {
	if !r.seen[letter] {
		r.seen[letter] = true
		r.cur = letter
	}
	if rest != "" {
		r.appendLine(rest)
	}
}

func (r *smartRecord) appendLine(line string) {
	switch r.cur {
	case 'T', 'A', 'B', 'W':
	default:
		return
	}
	sb := r.fields[r.cur]
	if sb == nil {
		sb = &strings.Builder{}
		r.fields[r.cur] = sb
	}
	sb.WriteString(line)
	sb.WriteByte(' ')
}

func (r *smartRecord) finish() SMARTRecord {
	get := func(letter byte) string {
		if sb := r.fields[letter]; sb != nil {
			return strings.Join(strings.Fields(sb.String()), " ")
		}
		return ""
	}
	rec := r.rec
	rec.Title, rec.Author, rec.Bibliography, rec.Text = get('T'), get('A'), get('B'), get('W')
	return rec
}
