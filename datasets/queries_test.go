package datasets

import (
	"strings"
	"testing"
)

func TestReadQueries(t *testing.T) {
	cases := []fileCase[[]Query]{
		{"jsonl string ids", "q.jsonl", `{"_id":"q1","text":"what is a cat"}` + "\n" + `{"_id":"q2","text":"dogs","metadata":{"a":1}}` + "\n",
			[]Query{{"q1", "what is a cat"}, {"q2", "dogs"}}, 0, ""},
		{"jsonl number ids", "q.jsonl", `{"_id":19335,"text":"a"}` + "\n" + `{"_id": -7, "text":"b"}`,
			[]Query{{"19335", "a"}, {"-7", "b"}}, 0, ""},
		{"jsonl crlf and blank lines", "q.jsonl", "\r\n" + `{"_id":"1","text":"a"}` + "\r\n\r\n  \n" + `{"_id":"2","text":"b"}` + "\r\n",
			[]Query{{"1", "a"}, {"2", "b"}}, 0, ""},
		{"jsonl bom", "q.jsonl", "\xef\xbb\xbf" + `{"_id":"1","text":"a"}`, []Query{{"1", "a"}}, 0, ""},
		{"jsonl unicode escapes", "q.jsonl", `{"_id":"1","text":"caf\u00e9 \"x\""}`, []Query{{"1", `café "x"`}}, 0, ""},
		{"jsonl title ignored", "q.jsonl", `{"_id":"1","title":"t","text":"a"}`, []Query{{"1", "a"}}, 0, ""},
		{"jsonl empty file", "q.jsonl", "", nil, 0, ""},
		{"jsonl missing id", "q.jsonl", `{"_id":"1","text":"a"}` + "\n\n" + `{"text":"b"}`, nil, 3, `field "_id": missing`},
		{"jsonl null id", "q.jsonl", `{"_id":null,"text":"b"}`, nil, 1, `field "_id": missing`},
		{"jsonl empty id", "q.jsonl", `{"_id":"","text":"b"}`, nil, 1, `field "_id": empty`},
		{"jsonl bool id", "q.jsonl", `{"_id":true,"text":"b"}`, nil, 1, `field "_id": want a string or a number`},
		{"jsonl number text", "q.jsonl", `{"_id":"1","text":"a"}` + "\n" + `{"_id":"2","text":5}`, nil, 2, `field "text": want a JSON string`},
		{"jsonl broken json", "q.jsonl", `{"_id":"1","text":"a"}` + "\r\n" + `{"_id":"2","text":"b"`, nil, 2, "invalid JSON"},
		{"jsonl not an object", "q.jsonl", `["1","a"]`, nil, 1, "line 1"},
		{"tsv", "q.tsv", "1\twhat is a cat\n2\tdogs\n", []Query{{"1", "what is a cat"}, {"2", "dogs"}}, 0, ""},
		{"tsv txt extension", "q.txt", "1\ta\n", []Query{{"1", "a"}}, 0, ""},
		{"tsv header", "q.tsv", "qid\ttext\n1\ta\n", []Query{{"1", "a"}}, 0, ""},
		{"tsv header after blank line", "q.tsv", "\nid\tquery\n1\ta\n", []Query{{"1", "a"}}, 0, ""},
		{"tsv crlf", "q.tsv", "1\ta\r\n2\tb\r\n", []Query{{"1", "a"}, {"2", "b"}}, 0, ""},
		{"tsv no trailing newline", "q.tsv", "1\ta\n2\tb", []Query{{"1", "a"}, {"2", "b"}}, 0, ""},
		{"tsv empty text kept", "q.tsv", "1\t\n", []Query{{"1", ""}}, 0, ""},
		{"tsv no tab", "q.tsv", "1\ta\n2 b\n", nil, 2, "want id<TAB>text, got 1"},
		{"tsv three fields", "q.tsv", "1\ta\tb\n", nil, 1, "got 3 tab-separated fields"},
		{"tsv empty id", "q.tsv", "1\ta\n\n \tb\n", nil, 3, `field "id": empty`},
		{"tsv header not first", "q.tsv", "1\ta\nid\ttext\n", []Query{{"1", "a"}, {"id", "text"}}, 0, ""},
	}
	runFileCases(t, ReadQueries, cases)
}

func TestReadQueriesUnknownExtension(t *testing.T) {
	path := writeTemp(t, "q.csv", "1,a\n")
	if _, err := ReadQueries(path); err == nil || !strings.Contains(err.Error(), `".csv"`) {
		t.Errorf("err = %v, want an unknown-extension error", err)
	}
}

func TestForEachQueryStopsOnCallbackError(t *testing.T) {
	path := writeTemp(t, "q.tsv", "1\ta\n2\tb\n3\tc\n")
	stop := errorString("stop")
	n := 0
	err := ForEachQuery(path, func(Query) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("err = %v after %d queries, want stop after 2", err, n)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestReadQueriesLongLine(t *testing.T) {
	long := strings.Repeat("x", 3<<20) // longer than bufio's default 64 KiB
	path := writeTemp(t, "q.tsv", "1\t"+long+"\n2\tb\n")
	qs, err := ReadQueries(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || len(qs[0].Text) != len(long) || qs[1].Text != "b" {
		t.Errorf("got %d queries, first text %d bytes", len(qs), len(qs[0].Text))
	}
}

func TestReadQueriesMissingFile(t *testing.T) {
	if _, err := ReadQueries(t.TempDir() + "/nope.jsonl"); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Errorf("err = %v, want one naming the file", err)
	}
}

func TestLineTooLong(t *testing.T) {
	defer func(n int) { lineLimit = n }(lineLimit)
	lineLimit = 1024
	path := writeTemp(t, "c.tsv", "1\tshort\n\n3\t"+strings.Repeat("x", 2000)+"\n4\tb\n")
	_, err := ReadCorpus(path)
	checkParseError(t, err, 3, "line longer than 1024 bytes")
}
