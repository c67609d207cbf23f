package metrics

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteTREC(t *testing.T) {
	run, qrels := fixture()
	res, err := Evaluate(run, qrels, []Measure{"ndcg_cut_3", "P_5", "map", "num_rel"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// q1: map (1 + 2/3 + 3/5)/4 = 0.56667, P_5 3/5, ndcg_cut_3 2/3.13093 = 0.63879.
	// q2: map 1/4, P_5 1/5, ndcg_cut_3 0. q5: all 0.
	// all: num_rel 4+1+0 = 5 (a sum), map 0.81667/3 = 0.27222,
	// P_5 0.8/3 = 0.26667, ndcg_cut_3 0.63879/3 = 0.21293.
	const want = "" +
		"num_rel               \tq1\t4\n" +
		"map                   \tq1\t0.5667\n" +
		"P_5                   \tq1\t0.6000\n" +
		"ndcg_cut_3            \tq1\t0.6388\n" +
		"num_rel               \tq2\t1\n" +
		"map                   \tq2\t0.2500\n" +
		"P_5                   \tq2\t0.2000\n" +
		"ndcg_cut_3            \tq2\t0.0000\n" +
		"num_rel               \tq5\t0\n" +
		"map                   \tq5\t0.0000\n" +
		"P_5                   \tq5\t0.0000\n" +
		"ndcg_cut_3            \tq5\t0.0000\n" +
		"num_rel               \tall\t5\n" +
		"map                   \tall\t0.2722\n" +
		"P_5                   \tall\t0.2667\n" +
		"ndcg_cut_3            \tall\t0.2129\n"
	var buf bytes.Buffer
	if err := res.WriteTREC(&buf, true); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	buf.Reset()
	if err := res.WriteTREC(&buf, false); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), want[strings.Index(want, "num_rel               \tall"):]; got != want {
		t.Errorf("summary only: got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	run, qrels := fixture()
	res, err := Evaluate(run, qrels, []Measure{MAP, NumRel}, Options{CompleteQueries: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf, true); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Measures []Measure                      `json:"measures"`
		NumQ     int                            `json:"num_q"`
		Level    int                            `json:"relevance_level"`
		Complete bool                           `json:"complete_queries"`
		Mean     map[Measure]float64            `json:"mean"`
		All      map[Measure]float64            `json:"all"`
		PerQuery map[string]map[Measure]float64 `json:"per_query"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.NumQ != 4 || got.Level != 1 || !got.Complete || len(got.Measures) != 2 {
		t.Errorf("header = %+v", got)
	}
	checkClose(t, "all num_rel", got.All[NumRel], 6)
	checkClose(t, "mean num_rel", got.Mean[NumRel], 1.5)
	checkClose(t, "mean map", got.Mean[MAP], (q1AP+0.25)/4)
	checkClose(t, "q1 map", got.PerQuery["q1"][MAP], q1AP)

	buf.Reset()
	if err := res.WriteJSON(&buf, false); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("per_query")) {
		t.Error("per_query written without perQuery")
	}
}
