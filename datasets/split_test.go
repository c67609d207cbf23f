package datasets

import (
	"crypto/sha256"
	"fmt"
	"slices"
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

func TestInSplitFraction(t *testing.T) {
	held := 0
	for i := range 10000 {
		if InSplit(string(rune('a'+i%26))+string(rune(i)), 3, 0.2) {
			held++
		}
	}
	if held < 1800 || held > 2200 || InSplit("q1", 3, 0.2) != InSplit("q1", 3, 0.2) {
		t.Errorf("InSplit held out %d of 10000 at fraction 0.2", held)
	}
}

// The held-out fraction must hold for short numeric ids too (FNV-1a alone
// put 100 of 135 Cranfield ids below 0.1).
func TestInSplitFractionOnShortIDs(t *testing.T) {
	n := 0
	for i := 1; i <= 2000; i++ {
		if InSplit(strconv.Itoa(i), 42, 0.1) {
			n++
		}
	}
	if n < 160 || n > 240 {
		t.Fatalf("%d of 2000 ids held out at fraction 0.1", n)
	}
}

// TestSplitMembershipPinned pins the membership of Split, InSplit and
// InShard to the values recorded before the three query splitters of
// datasets, training and teacher were merged into this file: checkpoints
// record which queries were held out and labels which shard they hold, so a
// change of membership breaks resumed runs and merged shards.
func TestSplitMembershipPinned(t *testing.T) {
	var ids []string
	for i := 1; i <= 40; i++ {
		ids = append(ids, strconv.Itoa(i))
	}
	ids = append(ids, "q-alpha", "MSM_1185869", "doc 7", "")
	p, err := Split(ids, []string{"train", "val", "test"}, []float64{0.6, 0.2, 0.2}, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"val":  {"19", "21", "24", "26", "39", "4", "8", "9", "doc 7"},
		"test": {"11", "13", "16", "2", "30", "33", "35", "5", "q-alpha"},
	}
	for name, w := range want {
		if !slices.Equal(p[name], w) {
			t.Errorf("Split %s = %q, want %q", name, p[name], w)
		}
	}
	var held []string
	for _, id := range ids {
		if InSplit(id, 42, 0.2) {
			held = append(held, id)
		}
	}
	if w := []string{"16", "18", "19", "22", "26", "28", "29", "30", "32", "36", "40", "MSM_1185869"}; !slices.Equal(held, w) {
		t.Errorf("InSplit held out %q, want %q", held, w)
	}

	// 20,000 ids: the membership's sha256 as recorded.
	big := make([]string, 20000)
	for i := range big {
		big[i] = fmt.Sprintf("q%d", i*7919)
	}
	h, n := sha256.New(), 0
	for _, id := range big {
		if InSplit(id, 1234567, 0.05) {
			fmt.Fprintf(h, "%s\n", id)
			n++
		}
	}
	if got := fmt.Sprintf("%d %x", n, h.Sum(nil)); got != "985 328ce513bf81b4287b6d65a08640f374edded0db913d25cb5671b2fecd27e24f" {
		t.Errorf("InSplit over 20,000 ids: %s", got)
	}
	p, err = Split(big, []string{"a", "b"}, []float64{0.9, 0.1}, -3)
	if err != nil {
		t.Fatal(err)
	}
	h = sha256.New()
	for _, id := range p["b"] {
		fmt.Fprintf(h, "%s\n", id)
	}
	if got := fmt.Sprintf("%d %x", len(p["b"]), h.Sum(nil)); got != "2000 c8c8683da0f6a8faf2e85eafed6c3b8f9a6fa6d12fa43ca702f16d39fe746ea9" {
		t.Errorf("Split over 20,000 ids: %s", got)
	}

	// Shards deal the sorted ids round-robin.
	var shard []int
	for i := range 10 {
		if InShard(i, 1, 3) {
			shard = append(shard, i)
		}
	}
	if w := []int{1, 4, 7}; !slices.Equal(shard, w) {
		t.Errorf("InShard 1 of 3 holds %v, want %v", shard, w)
	}
	for _, count := range []int{0, 1} {
		if !InShard(5, 0, count) {
			t.Errorf("InShard(5, 0, %d) = false, want one shard of everything", count)
		}
	}
}
