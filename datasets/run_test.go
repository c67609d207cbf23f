package datasets

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadRun(t *testing.T) {
	cases := []readCase[Run]{
		{"sorted by rank", "q1 Q0 d2 2 0.5 bm25\nq1 Q0 d1 1 0.9 bm25\nq2 Q0 d9 1 3 bm25\n",
			Run{"q1": {{"q1", "d1", 1, 0.9, "bm25"}, {"q1", "d2", 2, 0.5, "bm25"}}, "q2": {{"q2", "d9", 1, 3, "bm25"}}}, 0, ""},
		{"equal ranks keep file order", "1 Q0 b 1 1 t\n1 Q0 a 1 2 t\n1 Q0 c 0 0 t\n",
			Run{"1": {{"1", "c", 0, 0, "t"}, {"1", "b", 1, 1, "t"}, {"1", "a", 1, 2, "t"}}}, 0, ""},
		{"tabs crlf blank lines exponent", "\r\n19335\tQ0\t1720389\t1\t-1.5e-3\trun\r\n\r\n",
			Run{"19335": {{"19335", "1720389", 1, -0.0015, "run"}}}, 0, ""},
		{"second column ignored", "1 0 d 1 1 t\n", Run{"1": {{"1", "d", 1, 1, "t"}}}, 0, ""},
		{"empty file", "", Run{}, 0, ""},
		{"five fields", "1 Q0 d 1 1 t\n1 Q0 d 2 1\n", nil, 2, "want 6 fields"},
		{"seven fields", "1 Q0 d 1 1 t x\n", nil, 1, "want 6 fields"},
		{"bad rank", "1 Q0 d 1 1 t\n\n1 Q0 e one 1 t\n", nil, 3, `field "rank": not an integer: "one"`},
		{"bad score", "1 Q0 d 1 high t\n", nil, 1, `field "score": not a finite number`},
		{"nan score", "1 Q0 d 1 NaN t\n", nil, 1, `field "score"`},
	}
	runReadCases(t, "run.trec", ReadRun, cases)
}

func TestForEachRunEntryFileOrder(t *testing.T) {
	path := writeTemp(t, "run", "q Q0 b 2 1 t\nq Q0 a 1 2 t\n")
	var docs []string
	if err := ForEachRunEntry(path, func(e RunEntry) error { docs = append(docs, e.DocID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(docs, []string{"b", "a"}) {
		t.Errorf("docs = %v, want file order [b a]", docs)
	}
}

func TestTopK(t *testing.T) {
	run := Run{"q1": {{DocID: "a"}, {DocID: "b"}, {DocID: "c"}}, "q2": {{DocID: "x"}}}
	tests := []struct {
		k    int
		want map[string]int
	}{
		{0, map[string]int{}},
		{1, map[string]int{"q1": 1, "q2": 1}},
		{2, map[string]int{"q1": 2, "q2": 1}},
		{10, map[string]int{"q1": 3, "q2": 1}},
	}
	for _, tt := range tests {
		got := TopK(run, tt.k)
		lens := map[string]int{}
		for q, es := range got {
			lens[q] = len(es)
		}
		if !reflect.DeepEqual(lens, tt.want) {
			t.Errorf("TopK(%d) lengths = %v, want %v", tt.k, lens, tt.want)
		}
	}
	top := TopK(run, 2)
	top["q1"][0].DocID = "changed"
	if run["q1"][0].DocID != "a" || top["q1"][1].DocID != "b" {
		t.Error("TopK shares entries with its input or lost order")
	}
}

func TestSortByScore(t *testing.T) {
	es := []RunEntry{{DocID: "c", Score: 1, Rank: 9}, {DocID: "a", Score: 2}, {DocID: "b", Score: 1}, {DocID: "d", Score: -3}}
	SortByScore(es)
	var got []string
	for i, e := range es {
		got = append(got, e.DocID)
		if e.Rank != i+1 {
			t.Errorf("%s has rank %d, want %d", e.DocID, e.Rank, i+1)
		}
	}
	if want := []string{"a", "b", "c", "d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v (score descending, ties by document id)", got, want)
	}
}

func TestWriteRunRoundTrip(t *testing.T) {
	run := Run{
		"10": {{DocID: "d1", Score: 0.1}, {DocID: "d2", Score: 12.75}, {DocID: "d3", Score: 0.1}},
		"2":  {{DocID: "x", Score: 1.0 / 3}, {DocID: "y", Score: -1e-9}, {DocID: "z", Score: math.MaxFloat64}},
	}
	path := filepath.Join(t.TempDir(), "sub", "run.trec")
	if err := WriteRun(path, run, "colbert"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "2 Q0 z 1 1.7976931348623157e+308 colbert\n" +
		"2 Q0 x 2 0.3333333333333333 colbert\n" +
		"2 Q0 y 3 -1e-09 colbert\n" +
		"10 Q0 d2 1 12.75 colbert\n" +
		"10 Q0 d1 2 0.1 colbert\n" +
		"10 Q0 d3 3 0.1 colbert\n"
	if string(raw) != want {
		t.Errorf("file =\n%s\nwant\n%s", raw, want)
	}
	got, err := ReadRun(path)
	if err != nil {
		t.Fatal(err)
	}
	for qid, es := range got {
		for i, e := range es {
			if e.Rank != i+1 || e.Tag != "colbert" || e.QueryID != qid {
				t.Errorf("entry %+v at index %d", e, i)
			}
		}
	}
	if got["2"][1].Score != 1.0/3 || got["2"][0].Score != math.MaxFloat64 {
		t.Errorf("scores did not round-trip exactly: %v", got["2"])
	}
}

func TestWriteRunErrors(t *testing.T) {
	tests := []struct {
		name string
		run  Run
		tag  string
	}{
		{"space in doc id", Run{"q": {{DocID: "a b"}}}, "t"},
		{"empty doc id", Run{"q": {{DocID: ""}}}, "t"},
		{"space in query id", Run{"q 1": {{DocID: "a"}}}, "t"},
		{"space in tag", Run{"q": {{DocID: "a"}}}, "my run"},
		{"nan score", Run{"q": {{DocID: "a", Score: math.NaN()}}}, "t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run")
			if err := WriteRun(path, tt.run, tt.tag); err == nil {
				t.Fatal("WriteRun succeeded")
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("a failed write left %s behind", path)
			}
		})
	}
}

func TestRunWriterDefaultTag(t *testing.T) {
	var buf bytes.Buffer
	rw, err := NewRunWriter(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.WriteQuery("q", []RunEntry{{DocID: "a", Score: 2}}); err != nil {
		t.Fatal(err)
	}
	rw.Flush()
	if got, want := buf.String(), "q Q0 a 1 2 distill\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRunFromEntries(t *testing.T) {
	got := RunFromEntries([]RunEntry{{QueryID: "q", DocID: "b", Rank: 2}, {QueryID: "q", DocID: "a", Rank: 1}, {QueryID: "p", DocID: "c", Rank: 1}})
	if len(got) != 2 || got["q"][0].DocID != "a" || got["q"][1].DocID != "b" || got["p"][0].DocID != "c" {
		t.Errorf("got %v", got)
	}
}

// TestWriteRunFloat32Scores: a model's float32 score is written in float32's
// shortest form, not float64's 17 digits, and reads back to the same float32.
func TestWriteRunFloat32Scores(t *testing.T) {
	s := float32(0.8413)
	run := Run{"q": {{DocID: "a", Score: float64(s)}, {DocID: "b", Score: float64(float32(-12.0625))}}}
	path := filepath.Join(t.TempDir(), "run.trec")
	if err := WriteRun(path, run, "t"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if want := "q Q0 a 1 0.8413 t\nq Q0 b 2 -12.0625 t\n"; string(raw) != want {
		t.Errorf("file %q, want %q", raw, want)
	}
	got, err := ReadRun(path)
	if err != nil || float32(got["q"][0].Score) != s {
		t.Errorf("read back %v (%v), want float32 %v", got["q"], err, s)
	}
}
