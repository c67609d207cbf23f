package datasets

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// BEIR is a dataset in the BEIR folder layout:
//
//	dir/corpus.jsonl        {"_id": "d1", "title": "...", "text": "..."}
//	dir/queries.jsonl       {"_id": "q1", "text": "..."}
//	dir/qrels/<split>.tsv   query-id<TAB>corpus-id<TAB>score (header optional)
type BEIR struct {
	Corpus  []Document
	Queries []Query // all queries of queries.jsonl, judged or not
	Qrels   Qrels   // nil when the folder has no qrels/<split>.tsv
}

// DefaultSplit is the qrels split read and written when none is given.
const DefaultSplit = "test"

// BEIRPaths returns the corpus, queries and qrels paths of a BEIR folder for
// split (DefaultSplit when empty).
func BEIRPaths(dir, split string) (corpus, queries, qrels string) {
	if split == "" {
		split = DefaultSplit
	}
	return filepath.Join(dir, "corpus.jsonl"), filepath.Join(dir, "queries.jsonl"),
		filepath.Join(dir, "qrels", split+".tsv")
}

// LoadBEIR reads a BEIR folder. The qrels file of split (DefaultSplit when
// empty) is optional: without it Qrels is nil.
func LoadBEIR(dir, split string) (*BEIR, error) {
	return (*Validator)(nil).LoadBEIR(dir, split)
}

// LoadBEIR is the package-level LoadBEIR with the Validator's checks; qrels
// are also checked against the folder's queries and corpus, unless v.Queries
// or v.Docs are already set.
func (v *Validator) LoadBEIR(dir, split string) (*BEIR, error) {
	corpusPath, queriesPath, qrelsPath := BEIRPaths(dir, split)
	b := &BEIR{}
	var err error
	if b.Corpus, err = v.ReadCorpus(corpusPath); err != nil {
		return nil, err
	}
	if b.Queries, err = v.ReadQueries(queriesPath); err != nil {
		return nil, err
	}
	if _, err := os.Stat(qrelsPath); errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	qv := v
	if v != nil {
		cp := *v
		if cp.Queries == nil {
			cp.Queries = QueryIDs(b.Queries)
		}
		if cp.Docs == nil {
			cp.Docs = DocIDs(b.Corpus)
		}
		qv = &cp
		defer func() { v.Report = qv.Report }()
	}
	if b.Qrels, err = qv.ReadQrels(qrelsPath); err != nil {
		return nil, err
	}
	return b, nil
}

// JudgedQueries returns the queries that have at least one judgement in
// b.Qrels, in file order (BEIR evaluates only those).
func (b *BEIR) JudgedQueries() []Query {
	var out []Query
	for _, q := range b.Queries {
		if len(b.Qrels[q.ID]) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// WriteBEIR writes b as a BEIR folder under dir (created if missing), each
// file atomically; the qrels go to qrels/<split>.tsv with a header line and
// are skipped when b.Qrels is nil.
func WriteBEIR(dir, split string, b *BEIR) error {
	corpusPath, queriesPath, qrelsPath := BEIRPaths(dir, split)
	if err := WriteCorpusJSONL(corpusPath, b.Corpus); err != nil {
		return err
	}
	if err := WriteQueriesJSONL(queriesPath, b.Queries); err != nil {
		return err
	}
	if b.Qrels == nil {
		return nil
	}
	return WriteQrelsBEIR(qrelsPath, b.Qrels)
}
