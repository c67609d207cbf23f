package labels

import (
	"fmt"
	"sort"

	"github.com/apache/arrow/go/v17/arrow"
)

// SchemaVersion is the version of the label layout written by this package.
const SchemaVersion = "1"

// Column names of the label schema.
const (
	ColQueryID     = "query_id"
	ColDocumentIDs = "document_ids"
	ColScores      = "scores"
)

// Metadata keys recorded in the Arrow schema and in manifest.json.
const (
	KeyVersion         = "distill.labels.version"
	KeyModelSHA256     = "model_sha256"
	KeyModelPath       = "model_path"
	KeyTokenizerSHA256 = "tokenizer_sha256"
	KeyMaxLength       = "max_length"
	KeyTruncation      = "truncation"
	KeyActivation      = "activation"
	KeyDistillVersion  = "distill_version"
	KeyCreatedAt       = "created_at"
	KeyCandidates      = "candidates_sha256"
)

// Provenance says where scores came from. It is stored as schema metadata in
// every Arrow file and in the manifest.
type Provenance map[string]string

// Schema returns the label schema carrying prov as metadata (plus the layout
// version).
func Schema(prov Provenance) *arrow.Schema {
	keys := make([]string, 0, len(prov)+1)
	for k := range prov {
		if k != KeyVersion {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	vals := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		vals = append(vals, prov[k])
	}
	keys = append(keys, KeyVersion)
	vals = append(vals, SchemaVersion)
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema([]arrow.Field{
		{Name: ColQueryID, Type: arrow.BinaryTypes.String},
		{Name: ColDocumentIDs, Type: arrow.ListOf(arrow.BinaryTypes.String)},
		{Name: ColScores, Type: arrow.ListOf(arrow.PrimitiveTypes.Float32)},
	}, &md)
}

// checkSchema verifies that s has the label columns with the right types and
// a layout version this package reads.
func checkSchema(file string, s *arrow.Schema) error {
	want := Schema(nil)
	if len(s.Fields()) != len(want.Fields()) {
		return fmt.Errorf("labels: %s: schema has %d columns, want %d (%s)", file, len(s.Fields()), len(want.Fields()), want)
	}
	for i, f := range want.Fields() {
		g := s.Field(i)
		if g.Name != f.Name || !arrow.TypeEqual(g.Type, f.Type) {
			return fmt.Errorf("labels: %s: column %d is %s: %s, want %s: %s", file, i, g.Name, g.Type, f.Name, f.Type)
		}
	}
	md := s.Metadata()
	if v, ok := md.GetValue(KeyVersion); ok && v != SchemaVersion {
		return fmt.Errorf("labels: %s: layout version %q, this distill reads version %s", file, v, SchemaVersion)
	}
	return nil
}

// provenanceOf returns the schema metadata as a Provenance.
func provenanceOf(s *arrow.Schema) Provenance {
	md := s.Metadata()
	p := Provenance{}
	for i, k := range md.Keys() {
		p[k] = md.Values()[i]
	}
	return p
}
