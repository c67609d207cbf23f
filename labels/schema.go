package labels

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
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

// Metadata keys recorded in the Arrow schema and in manifest.json: every key
// distill writes is one of these.
const (
	KeyVersion         = "distill.labels.version" // the layout version, SchemaVersion
	KeyModelSHA256     = "model_sha256"           // the teacher's ONNX file ("none" without a teacher)
	KeyModelPath       = "model_path"             // the teacher's file name
	KeyTokenizerSHA256 = "tokenizer_sha256"       // the teacher's tokenizer.json
	KeyMaxLength       = "max_length"             // the teacher's pair length, in tokens
	KeyTruncation      = "truncation"             // the pair truncation ("longest_first")
	KeyActivation      = "activation"             // what the scores are (raw logit, logit difference, ...)
	KeyDistillVersion  = "distill_version"        // the distill that wrote the labels
	KeyCreatedAt       = "created_at"             // when the job started, RFC 3339
	KeyCandidates      = "candidates_sha256"      // the first-stage run scored
	KeyQueriesSHA256   = "queries_sha256"         // the queries file
	KeyCorpusSHA256    = "corpus_sha256"          // the corpus file
	KeyDepth           = "depth"                  // candidates scored per query (0: all of the run)
	// KeySource says where labels that no teacher scored come from
	// (distill teacher finetune's first-stage candidates).
	KeySource = "source"
	// KeyContentSHA256 is the sha256 of a file's rows (contentSHA256),
	// recorded in each Arrow file's schema metadata only (it differs per
	// file), so a reader detects damage inside a file whose manifest entry
	// was recomputed, or that has no manifest yet. Files written before it
	// existed lack it and are read without the check.
	KeyContentSHA256 = "distill.content_sha256"
)

// keys holds every key above: WritePart refuses metadata under any other.
var keys = map[string]bool{
	KeyVersion: true, KeyModelSHA256: true, KeyModelPath: true, KeyTokenizerSHA256: true, KeyMaxLength: true,
	KeyTruncation: true, KeyActivation: true, KeyDistillVersion: true, KeyCreatedAt: true, KeyCandidates: true,
	KeyQueriesSHA256: true, KeyCorpusSHA256: true, KeyDepth: true, KeySource: true, KeyContentSHA256: true,
}

// contentSHA256 hashes rows in order: each query id, its number of
// candidates, each document id (strings length-prefixed) and each score's
// IEEE-754 bits, little-endian.
func contentSHA256(rows []Row) string {
	h := newContentHash()
	for _, r := range rows {
		h.add(r)
	}
	return h.hex()
}

// contentHash computes contentSHA256 one row at a time.
type contentHash struct {
	h   hash.Hash
	buf [8]byte
}

func newContentHash() *contentHash { return &contentHash{h: sha256.New()} }

func (c *contentHash) u64(v uint64) {
	binary.LittleEndian.PutUint64(c.buf[:], v)
	c.h.Write(c.buf[:])
}

func (c *contentHash) str(s string) {
	c.u64(uint64(len(s)))
	io.WriteString(c.h, s)
}

func (c *contentHash) add(r Row) {
	c.str(r.QueryID)
	c.u64(uint64(len(r.DocumentIDs)))
	for i, d := range r.DocumentIDs {
		c.str(d)
		binary.LittleEndian.PutUint32(c.buf[:4], math.Float32bits(r.Scores[i]))
		c.h.Write(c.buf[:4])
	}
}

func (c *contentHash) hex() string { return hex.EncodeToString(c.h.Sum(nil)) }

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
