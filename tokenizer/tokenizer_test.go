package tokenizer

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestTokenize(t *testing.T) {
	tok := loadBERT(t)
	cases := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"spaces only", " \t\n\u00a0\u202f", nil},
		{"lowercase and punctuation", "Hello, World!", []string{"hello", ",", "world", "!"}},
		{"word pieces", "unaffable playing", []string{"una", "##ffa", "##ble", "playing"}},
		{"accents stripped", "Ångström café", []string{"ang", "##strom", "cafe"}},
		{"ascii symbols are punctuation", "a$b+c", []string{"a", "$", "b", "+", "c"}},
		{"cjk isolated", "中a文", []string{"中", "a", "文"}},
		{"controls removed", "a\u0000b\u0007c\u200bd", []string{"abc", "##d"}},
		{"nbsp splits", "non\u00a0breaking", []string{"non", "breaking"}},
		{"100 chars", strings.Repeat("a", 100), nil}, // checked below: not [UNK]
		{"101 chars", strings.Repeat("a", 101), []string{"[UNK]"}},
		{"unknown piece", "☃", []string{"[UNK]"}},
		{"added tokens raw", "x[MASK]y [CLS]", []string{"x", "[MASK]", "y", "[CLS]"}},
		{"added tokens case-sensitive", "[cls]", []string{"[", "cl", "##s", "]"}},
		{"nested brackets", "[[SEP]]", []string{"[", "[SEP]", "]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tok.Tokens(tok.Tokenize(c.text))
			if c.name == "100 chars" {
				if len(got) == 0 || got[0] == "[UNK]" {
					t.Fatalf("100-character word gave %q, want word pieces", got)
				}
				return
			}
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Fatalf("Tokenize(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

// TestKeep checks Hugging Face's LongestFirst pair arithmetic and the other
// strategies on hand-worked lengths.
func TestKeep(t *testing.T) {
	cases := []struct {
		s              Strategy
		n1, n2, budget int
		pair           bool
		k1, k2         int
	}{
		{LongestFirst, 3, 4, 10, true, 3, 4},  // fits
		{LongestFirst, 3, 10, 8, true, 3, 5},  // only the longer shrinks
		{LongestFirst, 10, 3, 8, true, 5, 3},  // same, swapped
		{LongestFirst, 10, 10, 8, true, 4, 4}, // both shrink
		{LongestFirst, 5, 5, 9, true, 4, 5},   // odd budget: second gets the extra
		{LongestFirst, 10, 10, 7, true, 3, 4}, // odd budget, both long
		{LongestFirst, 20, 6, 7, true, 4, 3},  // short one also cut: n1 > budget-n1 case
		{LongestFirst, 4, 4, 7, true, 3, 4},   // tie
		{LongestFirst, 0, 9, 5, true, 0, 5},   // empty first
		{LongestFirst, 9, 0, 0, true, 0, 0},   // zero budget
		{LongestFirst, 12, 0, 5, false, 5, 0}, // single
		{OnlyFirst, 10, 6, 12, true, 6, 6},    // cut first only
		{OnlyFirst, 3, 10, 8, true, 0, 10},    // HF errors; first emptied
		{OnlySecond, 10, 6, 12, true, 10, 2},  // cut second only
		{OnlySecond, 12, 0, 8, false, 8, 0},   // single: cut it
		{LongestFirst, 255, 255, 509, true, 254, 255},
	}
	for _, c := range cases {
		k1, k2 := c.s.keep(c.n1, c.n2, c.budget, c.pair)
		if k1 != c.k1 || k2 != c.k2 {
			t.Errorf("%s.keep(%d, %d, %d, %t) = %d, %d, want %d, %d", c.s, c.n1, c.n2, c.budget, c.pair, k1, k2, c.k1, c.k2)
		}
	}
}

func TestBuildPair(t *testing.T) {
	tok := loadBERT(t)
	a := []int32{1, 2, 3, 4, 5, 6}
	b := []int32{11, 12, 13}
	cases := []struct {
		name   string
		maxLen int
		ids    []int32
		types  []int32
	}{
		{"no truncation", 0, []int32{101, 1, 2, 3, 4, 5, 6, 102, 11, 12, 13, 102}, []int32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}},
		{"fits exactly", 12, []int32{101, 1, 2, 3, 4, 5, 6, 102, 11, 12, 13, 102}, []int32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}},
		{"longest first", 9, []int32{101, 1, 2, 3, 102, 11, 12, 13, 102}, []int32{0, 0, 0, 0, 0, 1, 1, 1, 1}},
		{"both cut", 7, []int32{101, 1, 2, 102, 11, 12, 102}, []int32{0, 0, 0, 0, 1, 1, 1}},
		{"specials only", 3, []int32{101, 102, 102}, []int32{0, 0, 1}},
		{"below specials", 1, []int32{101, 102, 102}, []int32{0, 0, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := tok.BuildPair(a, b, c.maxLen)
			if !slices.Equal(e.IDs, c.ids) || !slices.Equal(e.TypeIDs, c.types) {
				t.Fatalf("BuildPair = %v %v, want %v %v", e.IDs, e.TypeIDs, c.ids, c.types)
			}
			for _, m := range e.AttentionMask {
				if m != 1 {
					t.Fatalf("mask %v, want all ones", e.AttentionMask)
				}
			}
		})
	}
	if e := tok.BuildSingle(a, 5); !slices.Equal(e.IDs, []int32{101, 1, 2, 3, 102}) {
		t.Errorf("BuildSingle = %v", e.IDs)
	}
	if !slices.Equal(a, []int32{1, 2, 3, 4, 5, 6}) {
		t.Errorf("BuildPair modified its input: %v", a)
	}
}

// TestLeftTruncation checks a file whose truncation direction is Left.
func TestLeftTruncation(t *testing.T) {
	tok, err := parseEdited(t, func(m map[string]any) {
		m["truncation"].(map[string]any)["direction"] = "Left"
		m["truncation"].(map[string]any)["strategy"] = "OnlySecond"
	})
	if err != nil {
		t.Fatal(err)
	}
	e := tok.BuildPair([]int32{1, 2, 3}, []int32{4, 5, 6, 7}, 8)
	if want := []int32{101, 1, 2, 3, 102, 6, 7, 102}; !slices.Equal(e.IDs, want) {
		t.Fatalf("IDs = %v, want %v", e.IDs, want)
	}
}

func TestNullPostProcessor(t *testing.T) {
	tok, err := parseEdited(t, func(m map[string]any) { m["post_processor"] = nil })
	if err != nil {
		t.Fatal(err)
	}
	e := tok.EncodePair("hello", "world there", 2)
	if want := []int32{7592, 2088}; !slices.Equal(e.IDs, want) || !slices.Equal(e.TypeIDs, []int32{0, 1}) {
		t.Fatalf("EncodePair = %v %v, want %v [0 1]", e.IDs, e.TypeIDs, want)
	}
}

func TestPad(t *testing.T) {
	e := Encoding{IDs: []int32{101, 7, 102}, TypeIDs: []int32{0, 0, 0}, AttentionMask: []int32{1, 1, 1}}
	e.Pad(5, 0, 0)
	if !slices.Equal(e.IDs, []int32{101, 7, 102, 0, 0}) || !slices.Equal(e.AttentionMask, []int32{1, 1, 1, 0, 0}) || len(e.TypeIDs) != 5 {
		t.Fatalf("Pad gave %+v", e)
	}
	e.Pad(2, 0, 0)
	if e.Len() != 5 {
		t.Fatalf("Pad shortened the encoding to %d", e.Len())
	}
}

// TestConcurrent encodes from several goroutines at once and compares with
// sequential results from another instance, for BERT and each family (whose
// word cache then fills concurrently; run with -race to check for data races).
func TestConcurrent(t *testing.T) {
	texts := readTexts(t, passagesPath)[:200]
	for _, name := range append([]string{"bert-base-uncased"}, families...) {
		t.Run(name, func(t *testing.T) {
			ref, tok := loadFamily(t, name), loadFamily(t, name)
			want := make([]Encoding, len(texts))
			for i, s := range texts {
				want[i] = ref.EncodePair("query about "+s[:min(len(s), 20)], s, 128)
			}
			var wg sync.WaitGroup
			errs := make(chan string, 8)
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var e Encoding
					for i := g; i < len(texts); i += 3 {
						s := texts[i]
						tok.EncodePairTo(&e, "query about "+s[:min(len(s), 20)], s, 128)
						if !slices.Equal(e.IDs, want[i].IDs) {
							errs <- fmt.Sprintf("goroutine %d text %d differs", g, i)
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Error(e)
			}
		})
	}
}

// TestAllocations checks the hot paths allocate nothing once buffers exist.
func TestAllocations(t *testing.T) {
	tok := loadBERT(t)
	q, d := "what is the boiling point of water?", strings.Repeat("Water boils at 100 degrees Celsius at sea level. ", 10)
	qIDs, dIDs := tok.Tokenize(q), tok.Tokenize(d)
	var e Encoding
	tok.EncodePairTo(&e, q, d, 64)
	ids := make([]int32, 0, 512)
	for name, f := range map[string]func(){
		"BuildPairTo":  func() { tok.BuildPairTo(&e, qIDs, dIDs, 64) },
		"EncodePairTo": func() { tok.EncodePairTo(&e, q, d, 64) },
		"AppendTokens": func() { ids = tok.AppendTokens(ids[:0], d) },
	} {
		if n := testing.AllocsPerRun(50, f); n != 0 {
			t.Errorf("%s: %.1f allocations per run, want 0", name, n)
		}
	}
}
