package compare

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// A corpus that repeats a document id is refused, naming the file and the
// id, as the BM25 and student indexes refused it before the texts were
// read through datasets.ReadTexts (which keeps one text per id).
func TestLoadDataRefusesRepeatedDocument(t *testing.T) {
	docs := `{"_id": "d1", "text": "Cats purr."}
{"_id": "d2", "text": "Dogs bark."}
{"_id": "d1", "text": "Birds sing."}
`
	queries, corpus := writeData(t, "q1\tcats\n", docs)
	_, err := loadData(&Options{Queries: queries, Corpus: corpus})
	if err == nil {
		t.Fatal("a corpus repeating document d1 loaded without error")
	}
	if !errors.Is(err, datasets.ErrDuplicateID) || !strings.Contains(err.Error(), corpus) || !strings.Contains(err.Error(), `"d1"`) {
		t.Errorf("error %q: want datasets.ErrDuplicateID naming %s and \"d1\"", err, corpus)
	}
	if err := os.WriteFile(corpus, []byte(docs[:strings.LastIndex(docs[:len(docs)-1], "\n")+1]), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := loadData(&Options{Queries: queries, Corpus: corpus})
	if err != nil {
		t.Fatalf("distinct ids: %v", err)
	}
	if len(d.texts.DocIDs) != 2 {
		t.Errorf("distinct ids: %d documents, want 2", len(d.texts.DocIDs))
	}
}

// A queries file that repeats a query id is refused too: compare measures
// each query once and kept whichever text came last.
func TestLoadDataRefusesRepeatedQuery(t *testing.T) {
	queries, corpus := writeData(t, "q1\tcats\nq2\tdogs\nq1\tbirds\n", `{"_id": "d1", "text": "Cats purr."}`+"\n")
	_, err := loadData(&Options{Queries: queries, Corpus: corpus})
	if !errors.Is(err, datasets.ErrDuplicateID) || !strings.Contains(err.Error(), queries) || !strings.Contains(err.Error(), `"q1"`) {
		t.Errorf("error %v: want datasets.ErrDuplicateID naming %s and \"q1\"", err, queries)
	}
}

// writeData writes a queries file (TSV) and a corpus file (JSONL) with the
// given contents to a fresh temporary folder and returns their paths.
func writeData(t *testing.T, queries, corpus string) (queriesPath, corpusPath string) {
	t.Helper()
	dir := t.TempDir()
	queriesPath = filepath.Join(dir, "queries.tsv")
	corpusPath = filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(queriesPath, []byte(queries), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(corpusPath, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	return queriesPath, corpusPath
}
