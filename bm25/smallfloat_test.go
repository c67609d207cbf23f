package bm25

import (
	"math"
	"testing"
)

func TestIntToByte4(t *testing.T) {
	// Expected values follow Lucene's SmallFloat by hand: for n ≥ 24 the byte
	// is 24 + longToInt4(n-24), and longToInt4(x) keeps the top 4 bits of x.
	tests := []struct {
		n       int
		encoded byte
		decoded int
	}{
		{0, 0, 0},
		{1, 1, 1},
		{23, 23, 23},
		{24, 24, 24},    // x=0: subnormal
		{31, 31, 31},    // x=7: largest subnormal
		{32, 32, 32},    // x=8: shift 0, (0 | 1<<3) = 8
		{39, 39, 39},    // x=15: shift 0, 7 | 8 = 15
		{40, 40, 40},    // x=16: shift 1, 16>>1 = 8 → 0 | 2<<3 = 16
		{41, 40, 40},    // x=17 rounds down to 16
		{42, 41, 42},    // x=18: 18>>1 = 9 → 1 | 16 = 17
		{55, 47, 54},    // x=31: 31>>1 = 15 → 7 | 16 = 23, decodes to 15<<1 = 30
		{56, 48, 56},    // x=32: shift 2 → 0 | 3<<3 = 24
		{100, 57, 96},   // x=76: shift 3, 76>>3 = 9 → 1 | 4<<3 = 33, decodes to 9<<3 = 72
		{120, 60, 120},  // x=96: shift 3, 12 → 4 | 32 = 36, decodes to 12<<3 = 96
		{1000, 87, 984}, // x=976: shift 6, 976>>6 = 15 → 7 | 7<<3 = 63, decodes to 15<<6 = 960
		{math.MaxInt32, 255, 2013265944},
		{-5, 0, 0},
	}
	for _, tt := range tests {
		got := IntToByte4(tt.n)
		if got != tt.encoded {
			t.Errorf("IntToByte4(%d) = %d, want %d", tt.n, got, tt.encoded)
		}
		if dec := Byte4ToInt(got); dec != tt.decoded {
			t.Errorf("Byte4ToInt(%d) = %d, want %d", got, dec, tt.decoded)
		}
	}
}

// TestByte4RoundTrip checks that decoding is monotone, that every byte is a
// fixed point of decode∘encode, and that encoding never rounds up.
func TestByte4RoundTrip(t *testing.T) {
	prev := -1
	for b := 0; b < 256; b++ {
		n := Byte4ToInt(byte(b))
		if n <= prev {
			t.Fatalf("Byte4ToInt(%d) = %d, not above Byte4ToInt(%d) = %d", b, n, b-1, prev)
		}
		if e := IntToByte4(n); int(e) != b {
			t.Errorf("IntToByte4(Byte4ToInt(%d)) = %d", b, e)
		}
		prev = n
	}
	for n := 0; n < 100000; n += 7 {
		if d := Byte4ToInt(IntToByte4(n)); d > n || (n >= 24 && float64(d) < float64(n)*0.88) {
			t.Fatalf("Byte4ToInt(IntToByte4(%d)) = %d", n, d)
		}
	}
}
