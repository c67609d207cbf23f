package report

import (
	"testing"

	"github.com/distill-ml/distill/metrics"
)

func TestMeasureLabel(t *testing.T) {
	tests := []struct {
		m    metrics.Measure
		want string
	}{
		{metrics.MRR10, "MRR@10"},
		{metrics.NDCG10, "nDCG@10"},
		{metrics.Recall100, "R@100"},
		{metrics.P10, "P@10"},
		{metrics.MAP, "MAP"},
		{metrics.RecipRank, "MRR"},
		{metrics.NDCG, "nDCG"},
		{metrics.NumRelRet, "num_rel_ret"},
	}
	for _, tc := range tests {
		if got := MeasureLabel(tc.m); got != tc.want {
			t.Errorf("MeasureLabel(%q) = %q, want %q", tc.m, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"bytes zero", formatBytes(0), "-"},
		{"bytes small", formatBytes(512), "512 B"},
		{"bytes KiB", formatBytes(1536), "1.5 KiB"},
		{"bytes MiB", formatBytes(3 << 20), "3.0 MiB"},
		{"bytes GiB", formatBytes(5 << 30), "5.0 GiB"},
		{"fixed nil", formatFixed(nil, 4), "-"},
		{"fixed", formatFixed(new(0.123456), 4), "0.1235"},
		{"general", formatGeneral(new(18.666666)), "18.67"},
		{"general large", formatGeneral(new(123456.0)), "1.235e+05"},
		{"count zero", formatCount(0), "-"},
		{"text empty", formatText(""), "-"},
		{"p tiny", formatP(0), "<0.0001"},
		{"p", formatP(0.04321), "0.0432"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
