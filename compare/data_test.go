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
	dir := t.TempDir()
	queries := filepath.Join(dir, "queries.tsv")
	corpus := filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(queries, []byte("q1\tcats\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := `{"_id": "d1", "text": "Cats purr."}
{"_id": "d2", "text": "Dogs bark."}
{"_id": "d1", "text": "Birds sing."}
`
	if err := os.WriteFile(corpus, []byte(docs), 0o644); err != nil {
		t.Fatal(err)
	}
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
	dir := t.TempDir()
	queries := filepath.Join(dir, "queries.tsv")
	corpus := filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(queries, []byte("q1\tcats\nq2\tdogs\nq1\tbirds\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(corpus, []byte(`{"_id": "d1", "text": "Cats purr."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := loadData(&Options{Queries: queries, Corpus: corpus})
	if !errors.Is(err, datasets.ErrDuplicateID) || !strings.Contains(err.Error(), queries) || !strings.Contains(err.Error(), `"q1"`) {
		t.Errorf("error %v: want datasets.ErrDuplicateID naming %s and \"q1\"", err, queries)
	}
}
