package datasets

import (
	"bufio"
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// checkFuzzError fails unless err is nil or a *ParseError on a line of input.
func checkFuzzError(t *testing.T, err error, input string) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if n := strings.Count(input, "\n") + 1; pe.Line < 1 || pe.Line > n {
		t.Fatalf("error on line %d of a %d-line input: %v", pe.Line, n, err)
	}
}

func FuzzQueriesJSONL(f *testing.F) {
	for _, s := range []string{
		`{"_id":"q1","text":"what is a cat"}`,
		`{"_id":19335,"text":"anthropological definition","metadata":{}}` + "\r\n\r\n" + `{"_id":"2","text":"b"}`,
		`{"_id":null}`, `{"_id":true,"text":1}`, `{"text":"x"}`, `[1,2]`, `{"_id":"a","text":"\u00e9\ud800"}`,
		"\xef\xbb\xbf{\"_id\":1e3,\"text\":\"\"}", `{"_id":"1","text":"a"` + "\n", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		var got []Query
		err := (*Validator)(nil).forEachQuery(lines("q.jsonl", input), JSONL, func(q Query) error {
			got = append(got, q)
			return nil
		})
		checkFuzzError(t, err, input)
		v := &Validator{Policy: Keep}
		checkFuzzError(t, v.forEachQuery(lines("q.jsonl", input), JSONL, func(Query) error { return nil }), input)
		if err != nil {
			return
		}
		// What was read writes back and reads again unchanged.
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		rw := newRecordWriter(w, JSONL)
		for _, q := range got {
			if err := rw.query(q); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		var again []Query
		if err := (*Validator)(nil).forEachQuery(lines("q.jsonl", buf.String()), JSONL, func(q Query) error {
			again = append(again, q)
			return nil
		}); err != nil {
			t.Fatalf("rereading %q: %v", buf.String(), err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip: got %q, want %q", again, got)
		}
	})
}

func FuzzCorpusJSONL(f *testing.F) {
	for _, s := range []string{
		`{"_id":"d1","title":"Cats","text":"Cats purr."}`,
		`{"_id": 4380635, "title": null, "text": "F", "metadata": {"url": "x"}}`,
		`{"_id":"a","title":3}`, `{"_id":"a","te`, "\n\n", `{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		for _, v := range []*Validator{nil, {Policy: Skip}} {
			err := v.forEachDocument(lines("c.jsonl", input), JSONL, func(d Document) error {
				if d.ID == "" {
					t.Fatalf("document with an empty id from %q", input)
				}
				return nil
			})
			checkFuzzError(t, err, input)
		}
	})
}

func FuzzTSV(f *testing.F) {
	for _, s := range []string{
		"1\twhat is a cat\n2\tdogs\n", "id\ttext\r\n1\ta\r\n", "d1\tTitle\tText\n", "1 a\n", "\t\t\t\n", "1\t\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		err := (*Validator)(nil).forEachQuery(lines("q.tsv", input), TSV, func(q Query) error {
			if q.ID == "" || strings.ContainsAny(q.Text, "\t\n") {
				t.Fatalf("bad query %q from %q", q, input)
			}
			return nil
		})
		checkFuzzError(t, err, input)
		err = (&Validator{Policy: Keep}).forEachDocument(lines("c.tsv", input), TSV, func(d Document) error {
			if d.ID == "" {
				t.Fatalf("document with an empty id from %q", input)
			}
			return nil
		})
		checkFuzzError(t, err, input)
	})
}

func FuzzRun(f *testing.F) {
	for _, s := range []string{
		"q1 Q0 d1 1 0.9 bm25\nq1 Q0 d2 2 0.5 bm25\n", "19335\tQ0\t1720389\t1\t-1.5e-3\trun\r\n",
		"1 Q0 d 1 NaN t\n", "1 Q0 d x 1 t\n", "a b c\n", "1 Q0 d 99999999999999999999 1 t\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		var got []RunEntry
		err := (*Validator)(nil).forEachRunEntry(lines("run", input), func(e RunEntry) error {
			got = append(got, e)
			return nil
		})
		checkFuzzError(t, err, input)
		checkFuzzError(t, (&Validator{Policy: Skip, Docs: IDSet{}}).forEachRunEntry(lines("run", input), func(RunEntry) error { return nil }), input)
		if err != nil {
			return
		}
		// Written back, every entry keeps its ids and exact score.
		var buf bytes.Buffer
		rw, _ := NewRunWriter(&buf, "t")
		run := RunFromEntries(got)
		for _, qid := range sortedKeys(run) {
			if err := rw.WriteQuery(qid, run[qid]); err != nil {
				t.Fatal(err)
			}
		}
		rw.Flush()
		n := 0
		err = (*Validator)(nil).forEachRunEntry(lines("run", buf.String()), func(e RunEntry) error {
			n++
			return nil
		})
		if err != nil || n != len(got) {
			t.Fatalf("rereading %q: %d entries, %v; want %d", buf.String(), n, err, len(got))
		}
	})
}

func FuzzQrels(f *testing.F) {
	for _, s := range []string{
		"1 0 184 3\n1 0 29 2\n", "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\n", "19335\t1720389\t1\n",
		"q 1\td 1\t2.0\n", "q\td\t0.5\n", "1 0 184 3\n1 29 2\n", "a\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		err := (*Validator)(nil).forEachQrel(lines("qrels", input), func(q Qrel) error {
			if q.QueryID == "" || q.DocID == "" {
				t.Fatalf("qrel with an empty id %+v from %q", q, input)
			}
			return nil
		})
		checkFuzzError(t, err, input)
		checkFuzzError(t, (&Validator{Policy: Keep, Queries: IDSet{"1": {}}}).forEachQrel(lines("qrels", input), func(Qrel) error { return nil }), input)
	})
}

func FuzzSMART(f *testing.F) {
	for _, s := range []string{
		".I 1\n.T\ntitle .\n.A\nauthor\n.B\nbib\n.W\ntext\nmore .\n.I 2\n.W\nx\n",
		".I 001\r\n.W\r\nwhat similarity laws\r\n", ".I 240\n.W\na\n.A\nb\n.X\n1\t5\t1\n",
		"text\n", ".I\n", ".I 1 2\n", ".I 1\nloose\n", ".T x\n", ".I 1\n.W .5 mach\n.\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		err := forEachSMARTRecord(lines("cran", input), func(r SMARTRecord) error {
			if r.ID == "" || r.Line < 1 {
				t.Fatalf("record %+v from %q", r, input)
			}
			for _, s := range []string{r.Title, r.Author, r.Bibliography, r.Text} {
				if s != strings.Join(strings.Fields(s), " ") {
					t.Fatalf("field %q not collapsed", s)
				}
			}
			return nil
		})
		checkFuzzError(t, err, input)
		for _, layout := range []SMARTQrels{QrelsTREC, QrelsTriples, QrelsPairs} {
			checkFuzzError(t, forEachSMARTQrel(lines("rel", input), layout, func(Qrel) error { return nil }), input)
		}
	})
}
