package nn

import (
	"math"
	"testing"
)

// TestAddRowsImplementationsAgree checks that the row sums in use (C and
// vectorised in the cgo build) give the same bits as the Go loop, for
// widths around the vector and tile widths and for wide rows (the MLM
// decoder's bias), with rows side by side or apart (sgemmSplitK's
// partial products), values of mixed magnitude and signed zeros.
func TestAddRowsImplementationsAgree(t *testing.T) {
	r := rng()
	for _, m := range []int{1, 7, 8, 31, 32, 33, 256, 2048, 2049, 3001} {
		for _, rows := range []int{1, 5, 256} {
			ld := m + rows%5 // side by side for 5 rows, else apart
			src := make([]float32, rows*ld)
			for i := range src {
				src[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(9)-4)))
				if r.IntN(16) == 0 {
					src[i] = float32(math.Copysign(0, -1))
				}
			}
			want, got := make([]float32, m), make([]float32, m)
			for j := range want {
				want[j] = float32(j%3) - 1
				got[j] = want[j]
			}
			addRowsGo(want, src, rows, ld)
			addRows(got, src, rows, ld)
			if !identical(want, got) {
				t.Fatalf("%d rows of %d, %d apart: the sums in use differ from the Go loop's", rows, m, ld)
			}
		}
	}
}
