package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// tsvHeaderIDs are first-column names that mark a first line as a header.
var tsvHeaderIDs = map[string]bool{
	"id": true, "_id": true, "qid": true, "query-id": true, "query_id": true,
	"docid": true, "doc_id": true, "pid": true, "corpus-id": true, "corpus_id": true,
}

// isTSVHeader reports whether a first line is a header such as "id<TAB>text".
func isTSVHeader(b []byte) bool {
	first, _, _ := bytes.Cut(b, []byte("\t"))
	return tsvHeaderIDs[strings.ToLower(string(bytes.TrimSpace(first)))]
}

// parseTSVLine splits id<TAB>text, or id<TAB>title<TAB>text when withTitle is
// true. On failure it returns the field at fault and the error.
func parseTSVLine(b []byte, withTitle bool) (id, title, text, field string, err error) {
	parts := strings.Split(string(b), "\t")
	switch {
	case len(parts) == 2:
		id, text = parts[0], parts[1]
	case len(parts) == 3 && withTitle:
		id, title, text = parts[0], parts[1], parts[2]
	case withTitle:
		return "", "", "", "", fmt.Errorf("want id<TAB>text or id<TAB>title<TAB>text, got %d tab-separated fields", len(parts))
	default:
		return "", "", "", "", fmt.Errorf("want id<TAB>text, got %d tab-separated fields", len(parts))
	}
	id = strings.TrimSpace(id)
	if id == "" {
		return "", "", "", "id", errors.New("empty")
	}
	return id, title, text, "", nil
}
