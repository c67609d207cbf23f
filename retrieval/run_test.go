package retrieval

import (
	"reflect"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

func TestToRun(t *testing.T) {
	tests := []struct {
		name    string
		qids    []string
		hits    [][]datasets.Hit
		want    datasets.Run
		wantErr bool
	}{
		{"two queries", []string{"q1", "q2"}, [][]datasets.Hit{{{DocID: "d3", Score: 2.5}, {DocID: "d1", Score: -1}}, {}},
			datasets.Run{
				"q1": {{QueryID: "q1", DocID: "d3", Rank: 1, Score: 2.5, Tag: "splade"}, {QueryID: "q1", DocID: "d1", Rank: 2, Score: -1, Tag: "splade"}},
				"q2": {},
			}, false},
		{"length mismatch", []string{"q1"}, nil, nil, true},
		{"repeated query", []string{"q1", "q1"}, [][]datasets.Hit{{}, {}}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ToRun(tt.qids, tt.hits, "splade")
			if (err != nil) != tt.wantErr {
				t.Fatalf("ToRun error %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ToRun = %v, want %v", got, tt.want)
			}
		})
	}
}
