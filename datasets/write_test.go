package datasets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestQueriesCorpusRoundTrip(t *testing.T) {
	queries := []Query{{"1", "what is a cat"}, {"q2", `quotes "and" <html> & ünïcode`}, {"3", "x"}}
	docs := []Document{{"d1", "Title", "body text"}, {"17", "", "no title"}, {"d3", "T", ""}}
	tests := []struct {
		name string
		file string
	}{
		{"jsonl", "x.jsonl"},
		{"tsv", "x.tsv"},
		{"txt", "x.txt"},
		{"jsonl gz", "x.jsonl.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			qp, cp := filepath.Join(dir, "q", tt.file), filepath.Join(dir, "c", tt.file)
			if err := WriteQueries(qp, queries); err != nil {
				t.Fatal(err)
			}
			if err := WriteCorpus(cp, docs); err != nil {
				t.Fatal(err)
			}
			gotQ, err := ReadQueries(qp)
			if err != nil {
				t.Fatal(err)
			}
			gotC, err := ReadCorpus(cp)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotQ, queries) || !reflect.DeepEqual(gotC, docs) {
				t.Errorf("queries %q\ncorpus %q", gotQ, gotC)
			}
		})
	}
}

func TestWriteTSVCleansText(t *testing.T) {
	dir := t.TempDir()
	qp, cp := filepath.Join(dir, "q.tsv"), filepath.Join(dir, "c.tsv")
	if err := WriteQueriesTSV(qp, []Query{{"1", "a\tb\r\nc\nd"}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteCorpusTSV(cp, []Document{{"d", "T\t1", "x"}, {"e", "", "y"}}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{qp: "1\ta b c d\n", cp: "d\tT 1\tx\ne\ty\n"} {
		raw, _ := os.ReadFile(path)
		if string(raw) != want {
			t.Errorf("%s = %q, want %q", path, raw, want)
		}
	}
	if err := WriteQueriesTSV(qp, []Query{{"a\tb", "x"}}); err == nil {
		t.Error("id with a tab written")
	}
	if raw, _ := os.ReadFile(qp); string(raw) != "1\ta b c d\n" {
		t.Errorf("failed write changed the file: %q", raw)
	}
}

func TestWriteUnknownExtension(t *testing.T) {
	if err := WriteQueries(filepath.Join(t.TempDir(), "q.csv"), nil); err == nil {
		t.Error("WriteQueries to .csv succeeded")
	}
}

func TestConvertQueriesAndCorpus(t *testing.T) {
	src := writeTemp(t, "queries.tsv", "id\ttext\n1\ta\r\n2\tb\n")
	dst := filepath.Join(t.TempDir(), "queries.jsonl")
	n, err := ConvertQueries(src, dst)
	if err != nil || n != 2 {
		t.Fatalf("ConvertQueries = %d, %v", n, err)
	}
	raw, _ := os.ReadFile(dst)
	if want := "{\"_id\":\"1\",\"text\":\"a\"}\n{\"_id\":\"2\",\"text\":\"b\"}\n"; string(raw) != want {
		t.Errorf("queries.jsonl = %q, want %q", raw, want)
	}

	csrc := filepath.Join(dl19Dir, "corpus.jsonl")
	cdst := filepath.Join(t.TempDir(), "collection.tsv")
	n, err = ConvertCorpus(csrc, cdst)
	if err != nil || n != 5000 {
		t.Fatalf("ConvertCorpus = %d, %v", n, err)
	}
	want, _ := ReadCorpus(csrc)
	got, err := ReadCorpus(cdst)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("corpus changed through jsonl → tsv")
	}

	bad := writeTemp(t, "queries.tsv", "1\ta\nbroken\n")
	out := filepath.Join(t.TempDir(), "q.jsonl")
	if _, err := ConvertQueries(bad, out); err == nil {
		t.Error("ConvertQueries of a malformed file succeeded")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("failed conversion left a file")
	}
}
