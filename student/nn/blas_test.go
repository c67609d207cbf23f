package nn

import (
	"fmt"
	"testing"
)

// TestSgemmRows checks the row-split product against the single call for
// every transposition, with β = 0 and β = 1.
func TestSgemmRows(t *testing.T) {
	defer func(old bool) { splitGEMM = old }(splitGEMM)
	splitGEMM = true
	m, n, k := 301, 160, 90 // above splitMinMACs
	if m*n*k < splitMinMACs {
		t.Fatalf("test product of %d MACs does not reach splitMinMACs = %d", m*n*k, splitMinMACs)
	}
	r := rng()
	for _, ta := range []bool{false, true} {
		for _, tb := range []bool{false, true} {
			for _, beta := range []float32{0, 1} {
				t.Run(fmt.Sprintf("transA=%v,transB=%v,beta=%v", ta, tb, beta), func(t *testing.T) {
					a, b := f32(randF32(r, 1, m*k)), f32(randF32(r, 1, k*n))
					lda, ldb := k, n
					if ta {
						lda = m
					}
					if tb {
						ldb = k
					}
					c0 := f32(randF32(r, 1, m*n))
					want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
					sgemm(ta, tb, m, n, k, 0.5, a, lda, b, ldb, beta, want, n)
					sgemmRows(ta, tb, m, n, k, 0.5, a, lda, b, ldb, beta, got, n)
					assertClose(t, "C", got, want, 1e-5)
				})
			}
		}
	}
}
