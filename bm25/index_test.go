package bm25

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// toyIndex indexes three documents with the default parameters:
//
//	d1 "The quick brown fox"            → quick brown fox           (dl 3)
//	d2 "The lazy dog and the quick dog" → lazi dog quick dog        (dl 4)
//	d3 "Brown dogs chase foxes"         → brown dog chase fox       (dl 4)
//
// N = 3, avgdl = 11/3. With k1 = 0.9 and b = 0.4 the length norm is
// k1·(1 - b + b·dl/avgdl) = 0.54 + 1.08·dl/11, so
//
//	norm(3) = 0.54 + 3.24/11 = 0.834545454545...
//	norm(4) = 0.54 + 4.32/11 = 0.932727272727...
//
// quick, brown, fox and dog each occur in 2 documents and lazi in 1:
//
//	idf(n=2) = ln(1 + (3 - 2 + 0.5)/(2 + 0.5)) = ln 1.6 = 0.470003629245...
//	idf(n=1) = ln(1 + (3 - 1 + 0.5)/(1 + 0.5)) = ln(8/3) = 0.980829253011...
func toyIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := NewIndex(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range [][2]string{
		{"d1", "The quick brown fox"},
		{"d2", "The lazy dog and the quick dog"},
		{"d3", "Brown dogs chase foxes"},
	} {
		if err := ix.Add(d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

func TestSearchToyScores(t *testing.T) {
	ix := toyIndex(t)
	tests := []struct {
		query string
		want  []datasets.Hit
	}{
		// d1: 2 · ln1.6 · 1/(1 + norm(3)) = 2 · 0.4700036 / 1.8345455 = 0.51239246
		// d2 (quick) and d3 (fox): ln1.6 · 1/(1 + norm(4)) = 0.24318156; the
		// tie goes to the smaller id.
		{"quick fox", []datasets.Hit{{DocID: "d1", Score: 0.5123924600300389}, {DocID: "d2", Score: 0.2431815579352348}, {DocID: "d3", Score: 0.2431815579352348}}},
		// d2 has tf 2: ln1.6 · 2/(2 + norm(4)) = 0.32052324; d3 as above.
		{"DOGS!", []datasets.Hit{{DocID: "d2", Score: 0.32052324375096664}, {DocID: "d3", Score: 0.2431815579352348}}},
		// lazi: ln(8/3)/(1 + norm(4)) = 0.50748456. A repeated query term
		// counts twice: + 2 · 0.32052324 = 1.14853105.
		{"lazy", []datasets.Hit{{DocID: "d2", Score: 0.5074845617652394}}},
		{"lazy dog dog", []datasets.Hit{{DocID: "d2", Score: 1.1485310492671728}, {DocID: "d3", Score: 2 * 0.2431815579352348}}},
		{"the of and", nil},
		{"unicorn", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := ix.Search(tt.query, 10)
		if !hitsClose(got, tt.want, 1e-12) {
			t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
		}
		for _, h := range tt.want {
			s, err := ix.Score(tt.query, h.DocID)
			if err != nil || s != got[indexOfHit(got, h.DocID)].Score {
				t.Errorf("Score(%q, %q) = %v, %v; Search gave %v", tt.query, h.DocID, s, err, got)
			}
		}
	}
	if got := ix.Search("quick fox", 1); !hitsClose(got, []datasets.Hit{{DocID: "d1", Score: 0.5123924600300389}}, 1e-12) {
		t.Errorf("Search k=1 = %v", got)
	}
	if got := ix.Search("quick fox", 0); got != nil {
		t.Errorf("Search k=0 = %v", got)
	}
}

func TestScore(t *testing.T) {
	ix := toyIndex(t)
	if s, err := ix.Score("lazy", "d1"); err != nil || s != 0 {
		t.Errorf("Score of a non-matching document = %v, %v", s, err)
	}
	if _, err := ix.Score("lazy", "d9"); !errors.Is(err, ErrUnknownDoc) {
		t.Errorf("Score of an unknown document: err = %v", err)
	}
}

func TestStats(t *testing.T) {
	ix := toyIndex(t)
	if err := ix.Add("empty", "The, and; of."); err != nil {
		t.Fatal(err)
	}
	want := Stats{Docs: 4, DocCount: 3, Tokens: 11, AvgDocLen: 11.0 / 3, Vocabulary: 6, Postings: 10}
	if got := ix.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	// The empty document changes neither N nor avgdl, so scores stay put.
	if got := ix.Search("lazy", 5); !hitsClose(got, []datasets.Hit{{DocID: "d2", Score: 0.5074845617652394}}, 1e-12) {
		t.Errorf("after adding an empty document: %v", got)
	}
}

func TestAddDuplicate(t *testing.T) {
	ix := toyIndex(t)
	err := ix.Add("d2", "something else")
	if !errors.Is(err, ErrDuplicateDoc) || !strings.Contains(err.Error(), `"d2"`) {
		t.Errorf("Add duplicate: err = %v", err)
	}
	if ix.Len() != 3 || ix.Stats().Tokens != 11 {
		t.Errorf("duplicate Add changed the index: %+v", ix.Stats())
	}
}

func TestNewIndexValidates(t *testing.T) {
	tests := []struct {
		name  string
		p     Params
		field string
	}{
		{"negative k1", Params{K1: -1, B: 0.4}, "K1"},
		{"NaN k1", Params{K1: math.NaN(), B: 0.4}, "K1"},
		{"infinite k1", Params{K1: math.Inf(1), B: 0.4}, "K1"},
		{"b above 1", Params{K1: 0.9, B: 1.5}, "B"},
		{"negative b", Params{K1: 0.9, B: -0.1}, "B"},
		{"ok zero", Params{}, ""},
		{"ok defaults", DefaultParams(), ""},
	}
	for _, tt := range tests {
		_, err := NewIndex(tt.p)
		var pe *ParamError
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.field != "" && (!errors.As(err, &pe) || pe.Field != tt.field):
			t.Errorf("%s: err = %v, want a ParamError on %s", tt.name, err, tt.field)
		}
	}
}

// TestQuantizeLength: a 41-term document is scored as 40 terms long when
// lengths are quantized (IntToByte4(41) decodes to 40), and avgdl stays the
// exact (41 + 1)/2 = 21. With idf = ln(1 + 1.5/1.5) = ln 2:
//
//	exact:     ln2 / (1 + 0.54 + 0.36·41/21) = 0.30904651
//	quantized: ln2 / (1 + 0.54 + 0.36·40/21) = 0.31142685
func TestQuantizeLength(t *testing.T) {
	long := "apple" + strings.Repeat(" pear", 40)
	for _, tt := range []struct {
		quantize bool
		want     float64
	}{{false, 0.3090465136254533}, {true, 0.31142684620793437}} {
		p := DefaultParams()
		p.QuantizeLength = tt.quantize
		ix, err := NewIndex(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Add("long", long); err != nil {
			t.Fatal(err)
		}
		if err := ix.Add("short", "banana"); err != nil {
			t.Fatal(err)
		}
		got := ix.Search("apple", 1)
		if !hitsClose(got, []datasets.Hit{{DocID: "long", Score: tt.want}}, 1e-12) {
			t.Errorf("quantize=%v: %v, want %v", tt.quantize, got, tt.want)
		}
	}
}

func TestTermFrequencyWeight(t *testing.T) {
	p := DefaultParams()
	tests := []struct{ tf, dl, avgdl, want float64 }{
		{0, 10, 10, 0},
		{1, 10, 10, 1 / 1.9},        // norm = k1 when dl = avgdl
		{3, 10, 10, 3 / 3.9},        // saturates towards 1
		{1, 20, 10, 1 / (1 + 1.26)}, // 0.54 + 0.36·2
		{1, 5, 0, 1 / 1.9},          // no average: no length normalization
	}
	for _, tt := range tests {
		if got := p.TermFrequencyWeight(tt.tf, tt.dl, tt.avgdl); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("TermFrequencyWeight(%v, %v, %v) = %v, want %v", tt.tf, tt.dl, tt.avgdl, got, tt.want)
		}
	}
	if got := IDF(1, 3); math.Abs(got-math.Log(8.0/3)) > 1e-15 {
		t.Errorf("IDF(1, 3) = %v", got)
	}
}

func hitsClose(got, want []datasets.Hit, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].DocID != want[i].DocID || math.Abs(got[i].Score-want[i].Score) > tol {
			return false
		}
	}
	return true
}

func indexOfHit(hits []datasets.Hit, id string) int {
	for i, h := range hits {
		if h.DocID == id {
			return i
		}
	}
	return -1
}
