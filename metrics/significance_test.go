package metrics

import (
	"math"
	"testing"
)

func TestPairedTTest(t *testing.T) {
	tests := []struct {
		name         string
		a, b         []float64
		wantT, wantP float64
	}{
		// d = [1 3]: d̄ = 2, s = √2, t = 2/(√2/√2) = 2, df 1 (Cauchy):
		// p = 1 − (2/π)·atan 2.
		{"df1", []float64{1, 3}, []float64{0, 0}, 2, 1 - 2/math.Pi*math.Atan(2)},
		// d = [1 2 3 4]: d̄ = 2.5, s² = 5/3, t = 2.5/√(5/12) = √15, df 3.
		// For ν = 3, F(t) = 1/2 + (1/π)(t/(√3(1+t²/3)) + atan(t/√3)); with
		// t = √15: p = 2(1−F) = 1 − (2/π)(√5/6 + atan √5) ≈ 0.03046.
		{"df3", []float64{2, 4, 6, 8}, []float64{1, 2, 3, 4}, math.Sqrt(15),
			1 - 2/math.Pi*(math.Sqrt(5)/6+math.Atan(math.Sqrt(5)))},
		{"sign flips t", []float64{1, 2, 3, 4}, []float64{2, 4, 6, 8}, -math.Sqrt(15),
			1 - 2/math.Pi*(math.Sqrt(5)/6+math.Atan(math.Sqrt(5)))},
		{"constant difference", []float64{2, 3, 4}, []float64{1, 2, 3}, math.Inf(1), 0},
		{"identical", []float64{1, 2, 3}, []float64{1, 2, 3}, math.NaN(), math.NaN()},
		{"too short", []float64{1}, []float64{0}, math.NaN(), math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gotT, gotP := PairedTTest(tc.a, tc.b)
			if math.IsInf(tc.wantT, 0) {
				if gotT != tc.wantT {
					t.Errorf("t = %v, want %v", gotT, tc.wantT)
				}
			} else {
				checkCloseNaN(t, "t", gotT, tc.wantT)
			}
			checkCloseNaN(t, "p", gotP, tc.wantP)
		})
	}
}

func TestPairedRandomization(t *testing.T) {
	a := []float64{0.31, 0.52, 0.11, 0.78, 0.45, 0.66, 0.29, 0.90, 0.05, 0.37}

	if p := PairedRandomization(a, a, 1000, 7); p != 1 {
		t.Errorf("identical: p = %v, want 1", p)
	}

	better := make([]float64, len(a))
	for i := range a {
		better[i] = a[i] + 0.2 + 0.01*float64(i%3)
	}
	// Every difference is positive: only the all-+ and all-− sign patterns
	// reach the observed |Σd|, so p ≈ 2/2^10 ≈ 0.002.
	if p := PairedRandomization(better, a, 20000, 7); p > 0.005 {
		t.Errorf("consistent difference: p = %v, want ≈ 0.002", p)
	}

	// Exact for small n: d = [1 1 1]; |Σ s d| ≥ 3 only for +++ and −−−,
	// so p = 2/8.
	p := PairedRandomization([]float64{1, 1, 1}, []float64{0, 0, 0}, 200000, 3)
	if math.Abs(p-0.25) > 0.005 {
		t.Errorf("d=[1 1 1]: p = %v, want 0.25", p)
	}
	// d = [1 2 −1], observed |Σd| = 2. The 8 sign patterns sum to
	// 4, 2, 0, −2, 2, 0, −2, −4: six reach |2| (ties count), p = 6/8.
	p = PairedRandomization([]float64{1, 2, 0}, []float64{0, 0, 1}, 200000, 3)
	if math.Abs(p-0.75) > 0.005 {
		t.Errorf("d=[1 2 -1]: p = %v, want 0.75", p)
	}

	// Deterministic for a seed, different across seeds, symmetric in a, b.
	x := []float64{0.1, 0.4, 0.35, 0.8, 0.2, 0.6}
	y := []float64{0.2, 0.3, 0.30, 0.7, 0.25, 0.5}
	p1, p2 := PairedRandomization(x, y, 5000, 42), PairedRandomization(x, y, 5000, 42)
	if p1 != p2 {
		t.Errorf("same seed: %v != %v", p1, p2)
	}
	if p3 := PairedRandomization(y, x, 5000, 42); p3 != p1 {
		t.Errorf("swapped systems: %v != %v", p3, p1)
	}

	// More than 64 queries exercise refilling the sign bits.
	long := make([]float64, 150)
	zero := make([]float64, 150)
	for i := range long {
		long[i] = 0.01
	}
	if p := PairedRandomization(long, zero, 2000, 1); p != 0 {
		t.Errorf("150 positive differences: p = %v, want 0", p)
	}

	for _, tc := range []struct {
		name string
		a, b []float64
		iter int
	}{{"empty", nil, nil, 10}, {"no iterations", a, a, 0}} {
		if p := PairedRandomization(tc.a, tc.b, tc.iter, 1); !math.IsNaN(p) {
			t.Errorf("%s: p = %v, want NaN", tc.name, p)
		}
	}
}
