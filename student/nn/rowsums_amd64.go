//go:build !openblas && amd64

package nn

// addRowsAVX2 is addRowsGo on rows ≥ 1 rows of m columns, m a multiple of
// 8, row r at src + r·ld, in Go assembly with AVX2 (rowsums_amd64.s).
//
//go:noescape
func addRowsAVX2(dst, src *float32, rows, m, ld int)

func init() {
	if haveAVX2 {
		addRows = addRowsAsm
	}
}

// addRowsAsm is addRowsGo in Go assembly (AVX2) on the columns up to the
// last multiple of 8, and addRowsGo on the rest: each column's sum is its
// own, so the split leaves the bits as they are.
func addRowsAsm(dst, src []float32, rows, ld int) {
	m := len(dst)
	if m == 0 || rows <= 0 {
		return
	}
	_ = src[(rows-1)*ld+m-1]
	mv := m &^ 7
	if mv > 0 {
		addRowsAVX2(&dst[0], &src[0], rows, mv, ld)
	}
	if mv < m {
		addRowsGo(dst[mv:], src[mv:], rows, ld)
	}
}
