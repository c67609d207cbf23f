package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// jsonRecord is one line of a BEIR corpus.jsonl or queries.jsonl. Other
// fields ("metadata", ...) are ignored.
type jsonRecord struct {
	ID    jsonID `json:"_id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// jsonID is an "_id" that may be a JSON string or a JSON number; a number
// keeps its literal spelling (17 → "17").
type jsonID struct {
	s   string
	set bool
}

// errIDType is returned by jsonID for a value that is neither string nor number.
var errIDType = errors.New("want a string or a number")

// UnmarshalJSON implements json.Unmarshaler.
func (id *jsonID) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &id.s); err != nil {
			return err
		}
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		id.s = string(b)
	default:
		return fmt.Errorf("%w, got %s", errIDType, b)
	}
	id.set = true
	return nil
}

// parseJSONLine decodes one JSONL line. On failure it returns the field at
// fault ("" for a syntax error) and the error.
func parseJSONLine(b []byte) (rec jsonRecord, field string, err error) {
	if err := json.Unmarshal(b, &rec); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, errIDType):
			return rec, "_id", errIDType
		case errors.As(err, &te):
			return rec, te.Field, fmt.Errorf("want a JSON %s, got %s", te.Type, te.Value)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return rec, "", fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
		}
		return rec, "", err
	}
	if !rec.ID.set {
		return rec, "_id", ErrMissing
	}
	if rec.ID.s == "" {
		return rec, "_id", errors.New("empty")
	}
	return rec, "", nil
}
