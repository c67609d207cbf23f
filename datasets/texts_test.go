package datasets

import (
	"reflect"
	"testing"
)

func TestReadTexts(t *testing.T) {
	queries := writeTemp(t, "queries.tsv", "q2\tsecond query\nq1\tfirst query\nq3\t  \nq2\tsecond query, again\n")
	corpus := writeTemp(t, "corpus.jsonl", `{"_id": "d3", "title": "Cats", "text": "Cats purr."}
{"_id": "d1", "text": "Dogs bark."}
{"_id": "d2", "title": "", "text": " "}
{"_id": "d4", "text": "Birds sing."}
`)
	tests := []struct {
		name                  string
		want                  TextWant
		queries, docs         map[string]string
		queryIDs, docIDs      []string
		blankQueries, blankDs int
	}{
		{name: "all",
			queries:  map[string]string{"q1": "first query", "q2": "second query, again", "q3": "  "},
			docs:     map[string]string{"d1": "Dogs bark.", "d2": " ", "d3": "Cats Cats purr.", "d4": "Birds sing."},
			queryIDs: []string{"q2", "q1", "q3"}, docIDs: []string{"d3", "d1", "d2", "d4"}},
		{name: "wanted ids", want: TextWant{Queries: IDSet{"q3": {}, "q9": {}}, Docs: IDSet{"d4": {}, "d3": {}}},
			queries:  map[string]string{"q3": "  "},
			docs:     map[string]string{"d3": "Cats Cats purr.", "d4": "Birds sing."},
			queryIDs: []string{"q3"}, docIDs: []string{"d3", "d4"}},
		{name: "skip blank", want: TextWant{Docs: IDSet{"d2": {}, "d1": {}}, SkipBlank: true},
			queries:  map[string]string{"q1": "first query", "q2": "second query, again"},
			docs:     map[string]string{"d1": "Dogs bark."},
			queryIDs: []string{"q2", "q1"}, docIDs: []string{"d1"}, blankQueries: 1, blankDs: 1},
	}
	for _, tt := range tests {
		got, err := ReadTexts(queries, corpus, tt.want)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !reflect.DeepEqual(got.Queries, tt.queries) || !reflect.DeepEqual(got.Docs, tt.docs) {
			t.Errorf("%s: texts %q %q, want %q %q", tt.name, got.Queries, got.Docs, tt.queries, tt.docs)
		}
		if !reflect.DeepEqual(got.QueryIDs, tt.queryIDs) || !reflect.DeepEqual(got.DocIDs, tt.docIDs) {
			t.Errorf("%s: ids %q %q, want %q %q", tt.name, got.QueryIDs, got.DocIDs, tt.queryIDs, tt.docIDs)
		}
		if got.CorpusDocs != 4 || got.BlankQueries != tt.blankQueries || got.BlankDocs != tt.blankDs {
			t.Errorf("%s: %d corpus documents, %d blank queries, %d blank documents; want 4, %d, %d",
				tt.name, got.CorpusDocs, got.BlankQueries, got.BlankDocs, tt.blankQueries, tt.blankDs)
		}
	}
	dup := writeTemp(t, "dup.jsonl", `{"_id": "d1", "text": "a"}
{"_id": "d2", "text": "b"}
{"_id": "d1", "text": "c"}
{"_id": "d2", "text": "d"}
{"_id": "d1", "text": "e"}
`)
	rep, err := ReadTexts(queries, dup, TextWant{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.RepeatedQueries, []string{"q2"}) || !reflect.DeepEqual(rep.RepeatedDocs, []string{"d1", "d2"}) ||
		!reflect.DeepEqual(rep.DocIDs, []string{"d1", "d2"}) || rep.Docs["d1"] != "e" {
		t.Errorf("repeated ids %q %q, ids %q, d1 %q; want [q2] [d1 d2], [d1 d2], e", rep.RepeatedQueries, rep.RepeatedDocs, rep.DocIDs, rep.Docs["d1"])
	}
	onlyDocs, err := ReadTexts("", corpus, TextWant{})
	if err != nil || len(onlyDocs.Queries) != 0 || len(onlyDocs.Docs) != 4 {
		t.Errorf("no queries file: %v, %d queries, %d documents", err, len(onlyDocs.Queries), len(onlyDocs.Docs))
	}
	if _, err := ReadTexts(queries, corpus+".missing", TextWant{}); err == nil {
		t.Error("a missing corpus file read without error")
	}
}
