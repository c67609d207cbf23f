package tokenizer

import (
	"slices"
	"testing"
)

func TestPadBatch(t *testing.T) {
	seqs := [][]int32{{101, 7, 8, 102}, {101, 9, 102}, {101, 102}}
	types := [][]int32{{0, 0, 1, 1}, {0, 0, 1}, {0, 1}}
	tests := []struct {
		name            string
		types           [][]int32
		length          int
		padID           int32
		ids, typ, mask  []int32
		wantLen, tokens int
	}{
		{"longest, pad 0", nil, 0, 0,
			[]int32{101, 7, 8, 102, 101, 9, 102, 0, 101, 102, 0, 0},
			[]int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			[]int32{1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0}, 4, 9},
		{"fixed width, pad 1, types", types, 5, 1,
			[]int32{101, 7, 8, 102, 1, 101, 9, 102, 1, 1, 101, 102, 1, 1, 1},
			[]int32{0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0},
			[]int32{1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0}, 5, 9},
		{"width below the longest", nil, 2, 0,
			[]int32{101, 7, 8, 102, 101, 9, 102, 0, 101, 102, 0, 0},
			[]int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			[]int32{1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0}, 4, 9},
	}
	for _, tt := range tests {
		b := Pad(seqs, tt.types, tt.length, tt.padID)
		if b.Size != 3 || b.Len != tt.wantLen || b.Tokens != tt.tokens {
			t.Errorf("%s: %d×%d with %d tokens, want 3×%d with %d", tt.name, b.Size, b.Len, b.Tokens, tt.wantLen, tt.tokens)
		}
		if !slices.Equal(b.IDs, tt.ids) || !slices.Equal(b.TypeIDs, tt.typ) || !slices.Equal(b.Mask, tt.mask) {
			t.Errorf("%s: ids %v types %v mask %v,\nwant %v %v %v", tt.name, b.IDs, b.TypeIDs, b.Mask, tt.ids, tt.typ, tt.mask)
		}
	}
	b := Pad(seqs, nil, 0, 0)
	rows := b.Rows(b.IDs)
	if len(rows) != 3 || !slices.Equal(rows[1], []int32{101, 9, 102, 0}) {
		t.Fatalf("rows %v", rows)
	}
	rows[1] = append(rows[1], 5) // a row is capped: appending never writes into the next
	if b.IDs[8] != 101 {
		t.Errorf("appending to a row overwrote the next: %v", b.IDs)
	}
	if e := Pad(nil, nil, 0, 3); e.Size != 0 || e.Len != 0 || len(e.IDs) != 0 {
		t.Errorf("empty batch: %+v", e)
	}
}

// JoinSingles of two single encodings equals the pair encoding of the same
// texts, at every truncation length.
func TestJoinSinglesMatchesEncodePair(t *testing.T) {
	tok := loadBERT(t)
	q := "what is the daily life of a honey bee colony"
	d := "Honey bees live in colonies with a single queen, hundreds of drones and thousands of worker bees; workers forage for nectar."
	qs, ds := tok.EncodeSingle(q, 0).IDs, tok.EncodeSingle(d, 0).IDs
	for maxLen := range 50 {
		got, want := JoinSingles(qs, ds, maxLen), tok.EncodePair(q, d, maxLen)
		if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.TypeIDs, want.TypeIDs) || !slices.Equal(got.AttentionMask, want.AttentionMask) {
			t.Errorf("maxLen %d: %v %v, want %v %v", maxLen, got.IDs, got.TypeIDs, want.IDs, want.TypeIDs)
		}
	}
}
