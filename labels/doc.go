// Package labels defines distill's on-disk teacher labels, once: a folder of
// Apache Arrow IPC files plus a manifest.json.
//
// Each Arrow file has one row per query, in the layout PyLate reads:
//
//	query_id:     string
//	document_ids: list<string>
//	scores:       list<float32>   (raw teacher logits, aligned with document_ids)
//
// Buffers are zstd compressed. The schema metadata records the provenance of
// the scores (model and tokenizer sha256, max length, truncation, activation,
// distill version, creation time) under the keys listed in schema.go, and
// "distill.labels.version" names the layout version (SchemaVersion).
//
// A Reader streams one file record batch by record batch in the manner of
// arrow-go's ipc.Reader (Next, Record, Rows, Err, Release), allocating from
// the memory.Allocator it is given; ReadPart reads a whole file, and Set
// reads a folder through its manifest.
//
// manifest.json lists the files with their row and pair counts and sha256, so
// readers detect truncated or altered files (checked by internal/manifest,
// as for checkpoints and index folders). A sharded job writes one folder
// per shard; Merge checks the shard manifests and writes a manifest covering
// all of them.
package labels
