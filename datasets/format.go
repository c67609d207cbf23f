package datasets

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is the layout of a queries or corpus file.
type Format int

const (
	// JSONL is one JSON object per line: {"_id": ..., "title": ..., "text": ...} (BEIR).
	JSONL Format = iota + 1
	// TSV is id<TAB>text per line, or id<TAB>title<TAB>text for a corpus (MS MARCO).
	TSV
)

// String returns "jsonl" or "tsv".
func (f Format) String() string {
	switch f {
	case JSONL:
		return "jsonl"
	case TSV:
		return "tsv"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf picks the format of a queries or corpus file from its extension:
// .jsonl is JSONL, .tsv and .txt are TSV; a trailing .gz is looked through.
// Any other extension is an error wrapping ErrUnknownFormat.
func FormatOf(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(path, ".gz")))
	switch ext {
	case ".jsonl":
		return JSONL, nil
	case ".tsv", ".txt":
		return TSV, nil
	}
	return 0, fmt.Errorf("datasets: %s: %w: extension %q (want .jsonl, .tsv or .txt)", path, ErrUnknownFormat, ext)
}
