package datasets

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const cranfieldDir = "../data/cranfield"

// TestConvertCranfield converts the real collection and checks it against
// counts taken from the source files directly.
func TestConvertCranfield(t *testing.T) {
	out := t.TempDir()
	st, err := ConvertCranfield(cranfieldDir, out)
	if err != nil {
		t.Fatal(err)
	}
	raw := rawCranqrel(t)
	graded := 0
	for _, f := range raw {
		if f[2] != "-1" {
			graded++
		}
	}
	if len(raw) != 1837 || graded != 1612 {
		t.Fatalf("cranqrel has %d lines, %d graded; the test expects 1837 and 1612", len(raw), graded)
	}
	if st.Documents != 1400 || st.Queries != 225 || st.Qrels != graded || st.DroppedQrels != len(raw)-graded || st.JudgedQueries != 225 {
		t.Errorf("stats = %+v", st)
	}
	if st.Report.EmptyText != 2 || st.Report.Total() != 2 {
		t.Errorf("report = %v, want the 2 empty documents 471 and 995", st.Report.String())
	}

	b, err := (&Validator{Policy: Keep}).LoadBEIR(out, "test")
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range b.Corpus {
		if d.ID != strconv.Itoa(i+1) {
			t.Fatalf("document %d has id %q", i, d.ID)
		}
	}
	for i, q := range b.Queries {
		if q.ID != strconv.Itoa(i+1) {
			t.Fatalf("query %d has id %q", i, q.ID)
		}
	}
	checkCranfieldTexts(t, b)
	checkCranfieldQrels(t, b.Qrels, raw)
}

// rawCranqrel returns the fields of every line of cranqrel.
func rawCranqrel(t *testing.T) [][]string {
	data, err := os.ReadFile(filepath.Join(cranfieldDir, CranfieldQrels))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 {
			out = append(out, f)
		}
	}
	return out
}

func checkCranfieldTexts(t *testing.T, b *BEIR) {
	t.Helper()
	tests := []struct {
		got, want string
	}{
		{b.Corpus[0].Title, "experimental investigation of the aerodynamics of a wing in a slipstream ."},
		{b.Corpus[485].Title, "similarity laws for aerothermoelastic testing ."},
		{b.Corpus[470].FullText(), ""},
		{b.Corpus[994].FullText(), ""},
		{b.Queries[0].Text, "what similarity laws must be obeyed when constructing aeroelastic models of heated high speed aircraft ."},
		// Query 9 of the qrels is ".I 015", the 9th query of cran.qry.
		{b.Queries[8].Text, "papers on internal /slip flow/ heat transfer studies ."},
		{b.Queries[224].Text, "what design factors can be used to control lift-drag ratios at mach numbers above 5 ."},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("text %d = %q, want %q", i, tt.got, tt.want)
		}
	}
	// Document 240's abstract holds stray ".A"/".B" lines: they stay in the text.
	if d := b.Corpus[239]; !strings.Contains(d.Text, "application to turbulent separations") || !strings.HasSuffix(d.Text, "laminar separated flow .") {
		t.Errorf("document 240 text = %q", d.Text)
	}
	if !strings.HasPrefix(b.Corpus[0].Text, b.Corpus[0].Title+" an experimental study") {
		t.Errorf("document 1 text = %q", b.Corpus[0].Text)
	}
}

// checkCranfieldQrels compares the converted judgements with cranqrel and with
// QRelsCorrectedforTRECeval: identical except for the -1 lines (5 there,
// dropped here).
func checkCranfieldQrels(t *testing.T, got Qrels, raw [][]string) {
	t.Helper()
	for _, f := range raw {
		rel, ok := got[f[0]][f[1]]
		grade, _ := strconv.Atoi(f[2])
		if grade == -1 {
			if ok {
				t.Errorf("ungraded pair %v kept", f)
			}
			continue
		}
		if !ok || rel != 5-grade {
			t.Errorf("pair %v: relevance %d (present %v), want %d", f, rel, ok, 5-grade)
		}
	}
	trec, err := ReadQrels(filepath.Join(cranfieldDir, "QRelsCorrectedforTRECeval"))
	if err != nil {
		t.Fatal(err)
	}
	fives := 0
	for qid, docs := range trec {
		for docid, rel := range docs {
			if rel == 5 {
				fives++
				continue
			}
			if got[qid][docid] != rel {
				t.Errorf("query %s doc %s: %d, QRelsCorrectedforTRECeval says %d", qid, docid, got[qid][docid], rel)
			}
		}
	}
	if fives != 225 || trec.Len()-fives != got.Len() {
		t.Errorf("QRelsCorrectedforTRECeval: %d judgements, %d at 5; converted %d", trec.Len(), fives, got.Len())
	}
	if got["125"]["995"] != 2 {
		t.Errorf("query 125 / empty document 995 = %d, want 2 (cranqrel grade 3)", got["125"]["995"])
	}
}

func TestConvertCranfieldMissingFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := ConvertCranfield(t.TempDir(), out); err == nil || !strings.Contains(err.Error(), CranfieldDocs) {
		t.Errorf("err = %v, want one naming %s", err, CranfieldDocs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed conversion created the output folder")
	}
}
