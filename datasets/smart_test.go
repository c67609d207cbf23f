package datasets

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadSMART(t *testing.T) {
	cases := []readCase[[]SMARTRecord]{
		{"cranfield", ".I 1\n.T\nexperimental investigation of the\nwing .\n.A\nbrenckman,m.\t\n.B\nj. ae. scs. 25, 1958, 324.\n.W\nexperimental investigation .\n  an experimental study\nwas made .\n.I 2\n.T\nsimple shear flow .\n.W\nsimple .\n",
			[]SMARTRecord{
				{ID: "1", Line: 1, Title: "experimental investigation of the wing .", Author: "brenckman,m.", Bibliography: "j. ae. scs. 25, 1958, 324.", Text: "experimental investigation . an experimental study was made ."},
				{ID: "2", Line: 13, Title: "simple shear flow .", Text: "simple ."},
			}, 0, ""},
		{"queries with padded ids and crlf", ".I 001\r\n.W\r\nwhat similarity laws\r\nmust be obeyed .\r\n.I 002\r\n.W\r\nwhat are .\r\n",
			[]SMARTRecord{{ID: "1", Line: 1, Text: "what similarity laws must be obeyed ."}, {ID: "2", Line: 5, Text: "what are ."}}, 0, ""},
		{"empty fields", ".I 471\n.T\n.A\n.B\n.W\n.I 472\n.W\nx\n",
			[]SMARTRecord{{ID: "471", Line: 1}, {ID: "472", Line: 6, Text: "x"}}, 0, ""},
		{"stray markers continue the field", ".I 240\n.T\nt\n.A\na\n.B\nb\n.W\nfirst part\n.A\nsecond part\n.B\nthird part\n.W\nfourth\n",
			[]SMARTRecord{{ID: "240", Line: 1, Title: "t", Author: "a", Bibliography: "b", Text: "first part second part third part fourth"}}, 0, ""},
		{"cisi authors and cross references", ".I 1\n.T\n18 Editions of the\nDewey Decimal Classifications\n.A\nComaromi, J.P.\n.A\nSmith, A.\n.W\n   The present study is a history.\n.X\n1\t5\t1\n92\t1\t1\n",
			[]SMARTRecord{{ID: "1", Line: 1, Title: "18 Editions of the Dewey Decimal Classifications", Author: "Comaromi, J.P. Smith, A.", Text: "The present study is a history."}}, 0, ""},
		{"unknown markers dropped", ".I 3\n.W\ntext\n.K\nkeywords here\n.N\nCA 5\n",
			[]SMARTRecord{{ID: "3", Line: 1, Text: "text"}}, 0, ""},
		{"field on the marker line", ".I 7\n.T Title here\n.W body\nmore\n",
			[]SMARTRecord{{ID: "7", Line: 1, Title: "Title here", Text: "body more"}}, 0, ""},
		{"dot lines that are not markers", ".I 1\n.W\n.5 mach\n.\n.Ab\n",
			[]SMARTRecord{{ID: "1", Line: 1, Text: ".5 mach . .Ab"}}, 0, ""},
		{"blank lines before the first record", "\n\n.I 0001\n.W\nx\n", []SMARTRecord{{ID: "1", Line: 3, Text: "x"}}, 0, ""},
		{"id zero and non-numeric id", ".I 000\n.W\nx\n.I a01\n.W\ny\n",
			[]SMARTRecord{{ID: "0", Line: 1, Text: "x"}, {ID: "a01", Line: 4, Text: "y"}}, 0, ""},
		{"empty file", "", nil, 0, ""},
		{"text before first record", "hello\n.I 1\n", nil, 1, "text before the first .I"},
		{"field before first record", ".T\n.I 1\n", nil, 1, "text before the first .I"},
		{"missing id", ".I 1\n.W\nx\n.I\n", nil, 4, `field ".I": missing`},
		{"two ids", ".I 1 2\n", nil, 1, `field ".I": want one id`},
		{"text before any field", ".I 1\n.W\nx\n.I 2\nloose text\n", nil, 5, "text after .I 2 before any field marker"},
	}
	runReadCases(t, "cran.all", ReadSMART, cases)
}

func TestSMARTRecordQuery(t *testing.T) {
	r := SMARTRecord{ID: "5", Title: "Title", Text: "body"}
	if q := r.Query(); q != (Query{"5", "Title body"}) {
		t.Errorf("Query() = %+v", q)
	}
	if d := r.Document(); d != (Document{"5", "Title", "body"}) {
		t.Errorf("Document() = %+v", d)
	}
}

func TestForEachSMARTQrel(t *testing.T) {
	tests := []struct {
		name     string
		layout   SMARTQrels
		content  string
		want     []Qrel
		wantLine int
		wantMsg  string
	}{
		{"triples", QrelsTriples, "1 184 2 \n1 486 -1\n\n225 1188 -1", []Qrel{{"1", "184", 2}, {"1", "486", -1}, {"225", "1188", -1}}, 0, ""},
		{"trec crlf", QrelsTREC, "1 0 184 3\r\n1 0 029 2\r\n", []Qrel{{"1", "184", 3}, {"1", "29", 2}}, 0, ""},
		{"pairs", QrelsPairs, "    1     28 0 0.000000\n    1     35 0 0.000000\n", []Qrel{{"1", "28", 1}, {"1", "35", 1}}, 0, ""},
		{"triples with 4 fields", QrelsTriples, "1 184 2\n1 0 184 2\n", nil, 2, "want 3 fields"},
		{"trec with 3 fields", QrelsTREC, "1 184 2\n", nil, 1, "want 4 fields"},
		{"pairs with 1 field", QrelsPairs, "1\n", nil, 1, "want at least 2 fields"},
		{"bad grade", QrelsTriples, "1 2 x\n", nil, 1, `field "relevance"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := func(path string) (got []Qrel, err error) {
				err = ForEachSMARTQrel(path, tt.layout, func(q Qrel) error {
					got = append(got, q)
					return nil
				})
				return got, err
			}
			checkRead(t, writeTemp(t, "rel", tt.content), read, tt.want, tt.wantLine, tt.wantMsg)
		})
	}
}

func TestConvertSMART(t *testing.T) {
	dir := t.TempDir()
	docs := writeTemp(t, "med.all", ".I 1\n.W\ncorrelation between maternal and fetal plasma .\n.I 2\n.W\nthe crossing of fatty acids .\n.I 3\n.W\n \n")
	queries := writeTemp(t, "med.qry", ".I 1\n.W\nthe crystalline lens in vertebrates .\n.I 2\n.W\nfatty acids .\n")
	rels := writeTemp(t, "med.rel", "1 0 1 1\n1 0 3 1\n2 0 2 1\n2 0 2 1\n2 0 9 1\n3 0 1 1\n1 0 2 0\n")
	tests := []struct {
		policy   Policy
		wantErr  string
		wantDocs int
		wantRels int
		want     Report
	}{
		{Strict, `med.all line 7: field "text": empty text`, 0, 0, Report{}},
		{Skip, "", 2, 2, Report{EmptyText: 1, UnknownDoc: 2, DuplicateID: 1, UnknownQuery: 1}},
		{Keep, "", 3, 5, Report{EmptyText: 1, UnknownDoc: 1, DuplicateID: 1, UnknownQuery: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			out := dir + "/" + tt.policy.String()
			st, err := ConvertSMART(docs, queries, rels, out, SMARTOptions{Policy: tt.policy})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := st.Report
			got.Examples = nil
			if st.Documents != tt.wantDocs || st.Queries != 2 || st.Qrels != tt.wantRels || st.DroppedQrels != 1 || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stats = %+v", st)
			}
			b, err := LoadBEIR(out, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Corpus) != tt.wantDocs || b.Qrels.Len() != tt.wantRels || b.Queries[1] != (Query{"2", "fatty acids ."}) {
				t.Errorf("written folder = %+v", b)
			}
		})
	}
}
