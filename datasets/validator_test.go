package datasets

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestValidatorQueries(t *testing.T) {
	// Line 2 has a blank text, line 4 repeats id 1, line 5 is malformed.
	content := "1\tcats\n2\t  \n3\tdogs\n1\tagain\nbroken\n4\tbirds\n"
	tests := []struct {
		policy   Policy
		wantIDs  []string
		wantLine int // Strict: the line of the error
		want     Report
	}{
		{Strict, nil, 2, Report{}},
		{Skip, []string{"1", "3", "4"}, 0, Report{Malformed: 1, EmptyText: 1, DuplicateID: 1}},
		{Keep, []string{"1", "2", "3", "1", "4"}, 0, Report{Malformed: 1, EmptyText: 1, DuplicateID: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			v := &Validator{Policy: tt.policy}
			qs, err := v.ReadQueries(writeTemp(t, "q.tsv", content))
			if tt.wantLine > 0 {
				checkParseError(t, err, tt.wantLine, `field "text": empty text`)
				if !errors.Is(err, ErrEmptyText) {
					t.Errorf("err %v is not ErrEmptyText", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, q := range qs {
				ids = append(ids, q.ID)
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tt.wantIDs)
			}
			got := v.Report
			got.Examples = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("report = %+v, want %+v", got, tt.want)
			}
			if len(v.Report.Examples) != 3 {
				t.Errorf("examples = %v, want 3", v.Report.Examples)
			}
			if s := v.Report.String(); !strings.Contains(s, `line 4: field "id": duplicate id "1" (first on line 1)`) {
				t.Errorf("report does not show the duplicate:\n%s", s)
			}
		})
	}
}

func TestValidatorCorpusBlankNeedsTitleAndText(t *testing.T) {
	content := `{"_id":"a","title":"only a title","text":""}` + "\n" + `{"_id":"b","title":" ","text":"\t"}` + "\n"
	v := &Validator{Policy: Skip}
	docs, err := v.ReadCorpus(writeTemp(t, "c.jsonl", content))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "a" || v.Report.EmptyText != 1 {
		t.Errorf("docs = %v, report %+v", docs, v.Report)
	}
	checkParseError(t, v.Report.Examples[0], 2, `field "text": empty text`)
}

func TestValidatorRunAndQrels(t *testing.T) {
	run := "q1 Q0 d1 1 2 t\nq1 Q0 d9 2 1 t\nq7 Q0 d1 1 1 t\nq1 Q0 d1 3 0 t\n"
	qrels := "q1 0 d1 1\nq1 0 d9 1\nq7 0 d1 1\nq1 0 d1 2\n"
	known := func(p Policy) *Validator {
		return &Validator{Policy: p, Queries: IDSet{"q1": {}}, Docs: IDSet{"d1": {}}}
	}
	want := Report{UnknownDoc: 1, UnknownQuery: 1, DuplicateID: 1}

	v := known(Skip)
	r, err := v.ReadRun(writeTemp(t, "run", run))
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 1 || len(r["q1"]) != 1 || r["q1"][0].DocID != "d1" {
		t.Errorf("run = %v", r)
	}
	if got := v.Report; got.UnknownDoc != 1 || got.UnknownQuery != 1 || got.DuplicateID != 1 || got.Total() != 3 {
		t.Errorf("run report = %+v, want %+v", got, want)
	}

	v = known(Keep)
	q, err := v.ReadQrels(writeTemp(t, "qrels", qrels))
	if err != nil {
		t.Fatal(err)
	}
	if q.Len() != 3 || q["q1"]["d1"] != 2 {
		t.Errorf("qrels = %v", q)
	}
	if got := v.Report; got.Total() != 3 || got.UnknownDoc != 1 {
		t.Errorf("qrels report = %+v", got)
	}

	_, err = known(Strict).ReadRun(writeTemp(t, "run", run))
	checkParseError(t, err, 2, `field "document id": unknown document id "d9"`)
	_, err = known(Strict).ReadQrels(writeTemp(t, "qrels", qrels))
	if !errors.Is(err, ErrUnknownDoc) {
		t.Errorf("err = %v, want ErrUnknownDoc", err)
	}
	// Without known ids only duplicates are checked.
	_, err = (&Validator{}).ReadRun(writeTemp(t, "run", run))
	checkParseError(t, err, 4, `duplicate id: query "q1" already has document "d1" (line 1)`)
}

func TestValidatorMalformedSkipped(t *testing.T) {
	v := &Validator{Policy: Keep}
	r, err := v.ReadRun(writeTemp(t, "run", "q Q0 a 1 1 t\nq Q0 b x 1 t\nq Q0 c 3 1 t\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r["q"]) != 2 || v.Report.Malformed != 1 {
		t.Errorf("run = %v, report %+v", r, v.Report)
	}
	checkParseError(t, v.Report.Examples[0], 2, `field "rank"`)
}

func TestReportString(t *testing.T) {
	var r Report
	if r.String() != "no problems" {
		t.Errorf("empty report = %q", r.String())
	}
	for i := 0; i < 5; i++ {
		r.add(parseErr("f", i+1, "text", ErrEmptyText))
	}
	r.add(parseErr("f", 9, "", errors.New("bad")))
	if r.EmptyText != 5 || r.Malformed != 1 || len(r.Examples) != MaxExamples+1 {
		t.Errorf("report = %+v", r)
	}
	if s := r.String(); !strings.HasPrefix(s, "6 problems: 1 malformed lines; 5 empty texts;") {
		t.Errorf("String() = %q", s)
	}
}
