package datasets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadQrels(t *testing.T) {
	cases := []readCase[Qrels]{
		{"trec", "1 0 184 3\n1 0 29 2\n2 0 12 0\n",
			Qrels{"1": {"184": 3, "29": 2}, "2": {"12": 0}}, 0, ""},
		{"trec crlf tabs", "1\t0\t184\t3\r\n\r\n1 Q0 29 -1\r\n", Qrels{"1": {"184": 3, "29": -1}}, 0, ""},
		{"beir no header", "19335\t1720389\t1\n19335\t1729\t2\n", Qrels{"19335": {"1720389": 1, "1729": 2}}, 0, ""},
		{"beir header", "query-id\tcorpus-id\tscore\nq1\td1\t1\n", Qrels{"q1": {"d1": 1}}, 0, ""},
		{"beir header crlf after blank", "\r\nquery-id\tcorpus-id\tscore\r\nq1\td1\t1\r\n", Qrels{"q1": {"d1": 1}}, 0, ""},
		{"beir spaces", "q1 d1 2\n", Qrels{"q1": {"d1": 2}}, 0, ""},
		{"beir ids with spaces", "q 1\td 1\t1\n", Qrels{"q 1": {"d 1": 1}}, 0, ""},
		{"beir float score", "q1\td1\t2.0\n", Qrels{"q1": {"d1": 2}}, 0, ""},
		{"later line wins", "q\td\t1\nq\td\t3\n", Qrels{"q": {"d": 3}}, 0, ""},
		{"empty", "", Qrels{}, 0, ""},
		{"trec then beir line", "1 0 184 3\n1 29 2\n", nil, 2, "want 4 fields"},
		{"beir then trec line", "q\td\t1\n\nq\t0\td\t1\n", nil, 3, "want 3 fields"},
		{"beir bad score", "q\td\t1\nq\te\thigh\n", nil, 2, `field "relevance": not an integer: "high"`},
		{"beir fractional score", "q\td\t0.5\n", nil, 1, `field "relevance"`},
		{"header not first", "q\td\t1\nquery-id\tcorpus-id\tscore\n", nil, 2, `field "relevance"`},
		{"one field", "q\n", nil, 1, "want 3 fields"},
	}
	runReadCases(t, "qrels.txt", ReadQrels, cases)
}

func TestWriteQrels(t *testing.T) {
	qrels := Qrels{"10": {"d2": 1, "d10": 0}, "2": {"b": 3, "a": -1}}
	tests := []struct {
		name  string
		write func(string, Qrels) error
		want  string
	}{
		{"trec", WriteQrelsTREC, "2 0 a -1\n2 0 b 3\n10 0 d10 0\n10 0 d2 1\n"},
		{"beir", WriteQrelsBEIR, "query-id\tcorpus-id\tscore\n2\ta\t-1\n2\tb\t3\n10\td10\t0\n10\td2\t1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "qrels")
			if err := tt.write(path, qrels); err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(path)
			if string(raw) != tt.want {
				t.Errorf("file =\n%s\nwant\n%s", raw, tt.want)
			}
			got, err := ReadQrels(path)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, qrels) {
				t.Errorf("round trip: got %v, want %v", got, qrels)
			}
		})
	}
	if err := WriteQrelsTREC(filepath.Join(t.TempDir(), "q"), Qrels{"q": {"a b": 1}}); err == nil {
		t.Error("TREC qrels with a space in an id written")
	}
	if err := WriteQrelsBEIR(filepath.Join(t.TempDir(), "q"), Qrels{"q": {"a\tb": 1}}); err == nil {
		t.Error("BEIR qrels with a tab in an id written")
	}
}

func TestQrelsLen(t *testing.T) {
	q := Qrels{}
	q.Add(Qrel{"a", "x", 1})
	q.Add(Qrel{"a", "y", 1})
	q.Add(Qrel{"a", "x", 2})
	q.Add(Qrel{"b", "x", 0})
	if q.Len() != 3 || q["a"]["x"] != 2 {
		t.Errorf("Len = %d, a/x = %d", q.Len(), q["a"]["x"])
	}
}

func TestForEachQrelFileOrder(t *testing.T) {
	var got []Qrel
	err := ForEachQrel(writeTemp(t, "qrels", "2 0 b 1\n1 0 a 2\n2 0 b 3\n"), func(q Qrel) error {
		got = append(got, q)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Qrel{{"2", "b", 1}, {"1", "a", 2}, {"2", "b", 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{JSONL.String(), "jsonl"}, {TSV.String(), "tsv"}, {Format(9).String(), "Format(9)"},
		{QrelsTREC.String(), "trec"}, {QrelsTriples.String(), "triples"}, {QrelsPairs.String(), "pairs"},
		{SMARTQrels(7).String(), "SMARTQrels(7)"}, {Policy(5).String(), "Policy(5)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}
