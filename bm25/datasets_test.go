package bm25

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const (
	msmarcoDir   = "../data/trec-dl19-passage-subset"
	cranfieldDir = "../data/cranfield"
)

type document struct{ id, text string }

// loadBEIR reads a BEIR folder: corpus.jsonl, queries.jsonl, qrels/test.tsv.
// Only judged queries are returned. Titles are prepended to the text.
func loadBEIR(t testing.TB, dir string) (docs []document, queries []document, rels qrels) {
	t.Helper()
	eachLine(t, filepath.Join(dir, "corpus.jsonl"), func(line string) {
		var raw struct {
			ID    string `json:"_id"`
			Title string `json:"title"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, document{raw.ID, strings.TrimSpace(raw.Title + " " + raw.Text)})
	})
	rels = qrels{}
	eachLine(t, filepath.Join(dir, "qrels", "test.tsv"), func(line string) {
		f := strings.Split(line, "\t")
		grade, err := strconv.Atoi(f[2])
		if len(f) != 3 || err != nil {
			t.Fatalf("bad qrels line %q", line)
		}
		if grade > 0 {
			if rels[f[0]] == nil {
				rels[f[0]] = map[string]int{}
			}
			rels[f[0]][f[1]] = grade
		}
	})
	eachLine(t, filepath.Join(dir, "queries.jsonl"), func(line string) {
		var q struct {
			ID   string `json:"_id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatal(err)
		}
		if rels[q.ID] != nil {
			queries = append(queries, document{q.ID, q.Text})
		}
	})
	return docs, queries, rels
}

// loadCranfield reads the SMART-format Cranfield collection. Documents are
// their .W field (which repeats the title). Queries are numbered 1..225 in
// file order, as cranqrel numbers them (the .I numbers of cran.qry skip).
// cranqrel grades 1 (most relevant) .. 4 become gains 4 .. 1; grade -1
// (not relevant) is dropped.
func loadCranfield(t testing.TB, dir string) (docs []document, queries []document, rels qrels) {
	t.Helper()
	for _, rec := range smartRecords(t, filepath.Join(dir, "cran.all.1400")) {
		docs = append(docs, document{rec.id, rec.fields["W"]})
	}
	for i, rec := range smartRecords(t, filepath.Join(dir, "cran.qry")) {
		queries = append(queries, document{strconv.Itoa(i + 1), rec.fields["W"]})
	}
	rels = qrels{}
	eachLine(t, filepath.Join(dir, "cranqrel"), func(line string) {
		f := strings.Fields(line)
		grade, err := strconv.Atoi(f[2])
		if len(f) != 3 || err != nil {
			t.Fatalf("bad cranqrel line %q", line)
		}
		if grade >= 1 && grade <= 4 {
			if rels[f[0]] == nil {
				rels[f[0]] = map[string]int{}
			}
			rels[f[0]][f[1]] = 5 - grade
		}
	})
	return docs, queries, rels
}

type smartRecord struct {
	id     string
	fields map[string]string
}

// smartRecords splits a SMART file into records: ".I n" starts a record,
// ".X" on its own line starts field X.
func smartRecords(t testing.TB, path string) []smartRecord {
	var recs []smartRecord
	field := ""
	eachLine(t, path, func(line string) {
		switch {
		case strings.HasPrefix(line, ".I "):
			recs = append(recs, smartRecord{strings.TrimSpace(line[3:]), map[string]string{}})
			field = ""
		case len(line) == 2 && line[0] == '.' && len(recs) > 0:
			field = line[1:]
		case field != "" && len(recs) > 0:
			recs[len(recs)-1].fields[field] += line + "\n"
		}
	})
	return recs
}

// eachLine calls fn with each non-empty line of the file at path, skipping
// the test if the file is missing.
func eachLine(t testing.TB, path string, fn func(string)) {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("data not found: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), "\r"); strings.TrimSpace(line) != "" {
			fn(line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
