package datasets

import (
	"fmt"
	"strings"
)

// textRecord is one parsed line of a queries or corpus file.
type textRecord struct {
	id, title, text string
	line            int
}

// idField is the name of the id field in error messages for a format.
func idField(f Format) string {
	if f == JSONL {
		return "_id"
	}
	return "id"
}

// forEachTextRecord parses the lines of a queries (withTitle=false) or corpus
// (withTitle=true) file in format f. Blank lines are skipped, and so is a
// header as the first line of a TSV file.
func (v *Validator) forEachTextRecord(lr *lineReader, f Format, withTitle bool, fn func(textRecord) error) error {
	first := true
	return lr.eachLine(func(b []byte) error {
		header := first && f == TSV && isTSVHeader(b)
		first = false
		if header {
			return nil
		}
		rec, field, err := parseTextLine(b, f, withTitle)
		if err != nil {
			return v.malformed(parseErr(lr.file, lr.line, field, err))
		}
		rec.line = lr.line
		return fn(rec)
	})
}

func parseTextLine(b []byte, f Format, withTitle bool) (textRecord, string, error) {
	if f == JSONL {
		r, field, err := parseJSONLine(b)
		if !withTitle {
			r.Title = ""
		}
		return textRecord{id: r.ID.s, title: r.Title, text: r.Text}, field, err
	}
	id, title, text, field, err := parseTSVLine(b, withTitle)
	return textRecord{id: id, title: title, text: text}, field, err
}

// checkTextRecord applies the content checks shared by queries and documents:
// a blank text and an id seen before. It returns whether to deliver the record.
func (v *Validator) checkTextRecord(file, idField string, rec textRecord, fullText string, seen seenLines) (bool, error) {
	if !v.checks() {
		return true, nil
	}
	keep := true
	if strings.TrimSpace(fullText) == "" {
		k, err := v.problem(parseErr(file, rec.line, "text", ErrEmptyText))
		if err != nil {
			return false, err
		}
		keep = keep && k
	}
	if first := seen.check(rec.id, rec.line); first != 0 {
		k, err := v.problem(parseErr(file, rec.line, idField, fmt.Errorf("%w %q (first on line %d)", ErrDuplicateID, rec.id, first)))
		if err != nil {
			return false, err
		}
		keep = keep && k
	}
	return keep, nil
}
