package metrics

import "testing"

func TestCutoff(t *testing.T) {
	for _, c := range []struct {
		m    Measure
		want int
	}{{Recall100, 100}, {MRR10, 10}, {MAP, 0}, {RecipRank, 0}, {PrecisionAt(5), 5}, {"R@20", 20}, {"bogus", 0}} {
		if got := Cutoff(c.m); got != c.want {
			t.Errorf("Cutoff(%q) = %d, want %d", c.m, got, c.want)
		}
	}
}
