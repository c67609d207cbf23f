package labels

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
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
	// KeyContentSHA256 is the sha256 of a file's rows (contentSHA256),
	// recorded in each Arrow file's schema metadata only (it differs per
	// file), so a reader detects damage inside a file whose manifest entry
	// was recomputed, or that has no manifest yet. Files written before it
	// existed lack it and are read without the check.
	KeyContentSHA256 = "distill.content_sha256"
)

// contentSHA256 hashes rows in order: each query id, its number of
// candidates, each document id (strings length-prefixed) and each score's
// IEEE-754 bits, little-endian.
func contentSHA256(rows []Row) string {
	h := sha256.New()
	var b [8]byte
	str := func(s string) {
		binary.LittleEndian.PutUint64(b[:], uint64(len(s)))
		h.Write(b[:])
		io.WriteString(h, s)
	}
	for _, r := range rows {
		str(r.QueryID)
		binary.LittleEndian.PutUint64(b[:], uint64(len(r.DocumentIDs)))
		h.Write(b[:])
		for i, d := range r.DocumentIDs {
			str(d)
			binary.LittleEndian.PutUint32(b[:4], math.Float32bits(r.Scores[i]))
			h.Write(b[:4])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

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
		if k != KeyContentSHA256 {
			p[k] = md.Values()[i]
		}
	}
	return p
}
