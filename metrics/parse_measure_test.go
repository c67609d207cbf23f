package metrics

import (
	"errors"
	"testing"
)

func TestParseMeasure(t *testing.T) {
	tests := []struct {
		in      string
		want    Measure
		wantErr error
	}{
		{"map", MAP, nil},
		{"recip_rank", RecipRank, nil},
		{"ndcg", NDCG, nil},
		{"num_ret", NumRet, nil},
		{"num_rel", NumRel, nil},
		{"num_rel_ret", NumRelRet, nil},
		{"P_10", P10, nil},
		{"P.10", P10, nil},
		{"recall_100", Recall100, nil},
		{"recall.1000", Recall1000, nil},
		{"ndcg_cut_10", NDCG10, nil},
		{"ndcg_cut.7", "ndcg_cut_7", nil},
		{"ndcg_cut_010", NDCG10, nil},
		{"recip_rank_cut_10", MRR10, nil},
		{"MRR@10", MRR10, nil},
		{"RR@10", MRR10, nil},
		{"mrr@100", "recip_rank_cut_100", nil},
		{"MRR", RecipRank, nil},
		{"RR", RecipRank, nil},
		{"nDCG@10", NDCG10, nil},
		{"NDCG@20", "ndcg_cut_20", nil},
		{"nDCG", NDCG, nil},
		{"R@100", Recall100, nil},
		{"Recall@1000", Recall1000, nil},
		{"P@10", P10, nil},
		{"AP", MAP, nil},
		{"MAP", MAP, nil},
		{"", "", ErrUnknownMeasure},
		{"bpref", "", ErrUnknownMeasure},
		{"p_10", "", ErrUnknownMeasure}, // trec_eval names are case-sensitive
		{"P", "", ErrUnknownMeasure},
		{"R", "", ErrUnknownMeasure},
		{"MAP@10", "", ErrUnknownMeasure},
		{"foo@10", "", ErrUnknownMeasure},
		{"P_0", "", ErrBadCutoff},
		{"P_", "", ErrBadCutoff},
		{"P_-3", "", ErrBadCutoff},
		{"P_+3", "", ErrBadCutoff},
		{"ndcg_cut_1.5", "", ErrBadCutoff},
		{"ndcg_cut.5,10", "", ErrBadCutoff},
		{"nDCG@", "", ErrBadCutoff},
		{"nDCG@x", "", ErrBadCutoff},
		{"R@99999999999999999999", "", ErrBadCutoff},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseMeasure(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			var me *MeasureError
			if tc.wantErr != nil && (!errors.As(err, &me) || me.Name != tc.in) {
				t.Errorf("error %v does not carry the name", err)
			}
		})
	}
}

func TestMeasureConstructors(t *testing.T) {
	for _, tc := range []struct{ got, want Measure }{
		{PrecisionAt(10), P10},
		{RecallAt(100), Recall100},
		{NDCGCut(10), NDCG10},
		{RecipRankCut(10), MRR10},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestMeasureErrorMessage(t *testing.T) {
	_, err := ParseMeasure("bpref")
	if got, want := err.Error(), `metrics: unknown measure (got="bpref")`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
