package datasets

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadCorpus(t *testing.T) {
	cases := []fileCase[[]Document]{
		{"jsonl", "c.jsonl", `{"_id":"d1","title":"Cats","text":"Cats purr."}` + "\n" + `{"_id":"d2","text":"No title.","metadata":{}}` + "\n",
			[]Document{{"d1", "Cats", "Cats purr."}, {"d2", "", "No title."}}, 0, ""},
		{"jsonl number id and null title", "c.jsonl", `{"_id": 4380635, "title": null, "text": "F"}`,
			[]Document{{"4380635", "", "F"}}, 0, ""},
		{"jsonl float id keeps spelling", "c.jsonl", `{"_id": 1.50, "text": "F"}`, []Document{{"1.50", "", "F"}}, 0, ""},
		{"jsonl extra fields of any kind", "c.jsonl", `{"x":[1,{"y":null}],"_id":"a","text":"t","z":true}`,
			[]Document{{"a", "", "t"}}, 0, ""},
		{"jsonl crlf blank lines", "c.jsonl", "\r\n" + `{"_id":"a","text":"t"}` + "\r\n\r\n",
			[]Document{{"a", "", "t"}}, 0, ""},
		{"jsonl missing id on line 4", "c.jsonl", `{"_id":"a","text":"t"}` + "\n\n" + `{"_id":"b","text":"t"}` + "\n" + `{"title":"x","text":"t"}` + "\n",
			nil, 4, `field "_id": missing`},
		{"jsonl title not a string", "c.jsonl", `{"_id":"a","title":3,"text":"t"}`, nil, 1, `field "title"`},
		{"jsonl truncated", "c.jsonl", `{"_id":"a","te`, nil, 1, "invalid JSON"},
		{"tsv two columns", "c.tsv", "0\tThe presence of communication.\n1\tThe Manhattan Project.\n",
			[]Document{{"0", "", "The presence of communication."}, {"1", "", "The Manhattan Project."}}, 0, ""},
		{"tsv three columns", "c.tsv", "d1\tCats\tCats purr.\r\nd2\t\tNo title.\r\n",
			[]Document{{"d1", "Cats", "Cats purr."}, {"d2", "", "No title."}}, 0, ""},
		{"tsv header", "c.tsv", "docid\ttitle\ttext\nd1\tT\tx\n", []Document{{"d1", "T", "x"}}, 0, ""},
		{"tsv four columns", "c.tsv", "d1\ta\tb\tc\n", nil, 1, "got 4 tab-separated fields"},
		{"tsv one column on line 3", "c.tsv", "d1\ta\n\nd3\n", nil, 3, "want id<TAB>text or id<TAB>title<TAB>text, got 1"},
	}
	runFileCases(t, ReadCorpus, cases)
}

func TestDocumentFullText(t *testing.T) {
	tests := []struct {
		d    Document
		want string
	}{
		{Document{Title: "T", Text: "x"}, "T x"},
		{Document{Text: "x"}, "x"},
		{Document{Title: "T"}, "T"},
		{Document{}, ""},
	}
	for _, tt := range tests {
		if got := tt.d.FullText(); got != tt.want {
			t.Errorf("%+v.FullText() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestReadCorpusGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"_id":"a","title":"T","text":"x"}` + "\n"))
	zw.Close()
	path := filepath.Join(t.TempDir(), "corpus.jsonl.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCorpus(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Document{{"a", "T", "x"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
