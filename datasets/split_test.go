package datasets

import (
	"strconv"
	"testing"
)

func TestSplitDeterministicDisjointComplete(t *testing.T) {
	var ids []string
	for i := 1; i <= 225; i++ {
		ids = append(ids, strconv.Itoa(i))
	}
	a, err := Split(ids, []string{"train", "val", "test"}, []float64{0.6, 0.2, 0.2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(a["train"]) != 135 || len(a["val"]) != 45 || len(a["test"]) != 45 {
		t.Fatalf("sizes %d/%d/%d, want 135/45/45", len(a["train"]), len(a["val"]), len(a["test"]))
	}
	seen := map[string]string{}
	for name, part := range a {
		for _, id := range part {
			if prev, dup := seen[id]; dup {
				t.Fatalf("%s in %s and %s", id, prev, name)
			}
			seen[id] = name
		}
	}
	if len(seen) != 225 {
		t.Fatalf("%d ids assigned", len(seen))
	}
	// Reversed input order, same split; another seed, another split.
	rev := make([]string, len(ids))
	for i := range ids {
		rev[i] = ids[len(ids)-1-i]
	}
	b, _ := Split(rev, []string{"train", "val", "test"}, []float64{0.6, 0.2, 0.2}, 1)
	c, _ := Split(ids, []string{"train", "val", "test"}, []float64{0.6, 0.2, 0.2}, 2)
	same := func(x, y []string) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	if !same(a["test"], b["test"]) {
		t.Error("split depends on input order")
	}
	if same(a["test"], c["test"]) {
		t.Error("seed does not change the split")
	}
	for _, bad := range [][]float64{{0.5, 0.2, 0.2}, {1.2, -0.1, -0.1}} {
		if _, err := Split(ids, []string{"a", "b", "c"}, bad, 1); err == nil {
			t.Errorf("fractions %v accepted", bad)
		}
	}
}
