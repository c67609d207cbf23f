package datasets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const dl19Dir = "../data/trec-dl19-passage-subset"

func TestLoadBEIRTrecDL19Subset(t *testing.T) {
	v := &Validator{Policy: Strict}
	b, err := v.LoadBEIR(dl19Dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Corpus) != 5000 || len(b.Queries) != 50 || b.Qrels.Len() != 4102 || len(b.Qrels) != 43 || len(b.JudgedQueries()) != 43 {
		t.Errorf("corpus %d, queries %d, judgements %d, judged queries %d/%d",
			len(b.Corpus), len(b.Queries), b.Qrels.Len(), len(b.Qrels), len(b.JudgedQueries()))
	}
	if v.Report.Total() != 0 {
		t.Errorf("report = %v", v.Report.String())
	}
	if b.Queries[0] != (Query{"19335", "anthropological definition of environment"}) {
		t.Errorf("first query = %+v", b.Queries[0])
	}
	if d := b.Corpus[0]; d.ID != "4380635" || d.Title != "" || len(d.Text) < 100 {
		t.Errorf("first document = %+v", d)
	}
	if b.Qrels["19335"]["1720389"] != 1 || b.Qrels["19335"]["1729"] != 2 {
		t.Errorf("qrels of 19335 = %v", b.Qrels["19335"])
	}
	grades := map[int]int{}
	for _, docs := range b.Qrels {
		for _, rel := range docs {
			grades[rel]++
		}
	}
	if want := map[int]int{1: 1601, 2: 1804, 3: 697}; !reflect.DeepEqual(grades, want) {
		t.Errorf("grades = %v, want %v", grades, want)
	}
}

func TestWriteBEIRRoundTrip(t *testing.T) {
	want := &BEIR{
		Corpus:  []Document{{"d1", "Cats <&>", "Cats \"purr\".\nNew line é"}, {"2", "", "x\ty"}},
		Queries: []Query{{"q1", "what do cats do"}, {"q2", "unjudged"}},
		Qrels:   Qrels{"q1": {"d1": 2, "2": 0}},
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteBEIR(dir, "dev", want); err != nil {
		t.Fatal(err)
	}
	got, err := (&Validator{}).LoadBEIR(dir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "corpus.jsonl"))
	if line := `{"_id":"d1","title":"Cats <&>","text":"Cats \"purr\".\nNew line é"}`; string(raw[:len(line)]) != line {
		t.Errorf("corpus.jsonl starts %q", raw)
	}
	if got.JudgedQueries()[0].ID != "q1" || len(got.JudgedQueries()) != 1 {
		t.Errorf("judged = %v", got.JudgedQueries())
	}
}

func TestLoadBEIRWithoutQrels(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBEIR(dir, "", &BEIR{Corpus: []Document{{"a", "", "x"}}, Queries: []Query{{"q", "y"}}}); err != nil {
		t.Fatal(err)
	}
	b, err := LoadBEIR(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Qrels != nil || len(b.Corpus) != 1 || len(b.Queries) != 1 {
		t.Errorf("got %+v", b)
	}
	if _, err := LoadBEIR(t.TempDir(), ""); err == nil {
		t.Error("LoadBEIR of an empty folder succeeded")
	}
}

func TestLoadBEIRChecksQrelsIDs(t *testing.T) {
	dir := t.TempDir()
	b := &BEIR{Corpus: []Document{{"a", "", "x"}}, Queries: []Query{{"q", "y"}}, Qrels: Qrels{"q": {"a": 1, "zz": 1}, "p": {"a": 1}}}
	if err := WriteBEIR(dir, "", b); err != nil {
		t.Fatal(err)
	}
	v := &Validator{Policy: Skip}
	got, err := v.LoadBEIR(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Qrels, Qrels{"q": {"a": 1}}) || v.Report.UnknownDoc != 1 || v.Report.UnknownQuery != 1 {
		t.Errorf("qrels = %v, report %+v", got.Qrels, v.Report)
	}
	if v.Queries != nil || v.Docs != nil {
		t.Error("LoadBEIR changed the Validator's known ids")
	}
	if _, err := (&Validator{}).LoadBEIR(dir, ""); err == nil {
		t.Error("Strict LoadBEIR accepted unknown ids")
	}
}
