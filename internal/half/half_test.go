package half

import (
	"math"
	"testing"
)

func TestToFloat32(t *testing.T) {
	for _, tc := range []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x3555, 0.333251953125}, {0x7bff, 65504},
		{0x0400, 6.103515625e-05}, {0x0001, 5.960464477539063e-08}, {0x83ff, -6.097555160522461e-05},
		{0x7c00, float32(math.Inf(1))}, {0xfc00, float32(math.Inf(-1))},
	} {
		if got := ToFloat32(tc.h); got != tc.want {
			t.Errorf("ToFloat32(%#04x) = %g, want %g", tc.h, got, tc.want)
		}
	}
	if got := ToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("ToFloat32(0x7e00) = %g, want NaN", got)
	}
	if got := math.Float32bits(ToFloat32(0x8000)); got != 0x80000000 {
		t.Errorf("ToFloat32(0x8000) bits %#x, want -0", got)
	}
	// Every finite half is an exact float32 and the conversion is monotone.
	prev := float32(math.Inf(-1))
	for h := 0xfbff; h >= 0x8000; h-- { // negatives, from the most negative
		v := ToFloat32(uint16(h))
		if !(v > prev) && !(v == 0 && prev == 0) {
			t.Fatalf("%#04x → %g after %g", h, v, prev)
		}
		prev = v
	}
	for h := 0x0000; h <= 0x7bff; h++ {
		v := ToFloat32(uint16(h))
		if !(v > prev) && !(v == 0 && prev == 0) {
			t.Fatalf("%#04x → %g after %g", h, v, prev)
		}
		prev = v
	}
}
