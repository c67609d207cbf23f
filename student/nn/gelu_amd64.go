//go:build !openblas && amd64

package nn

func init() {
	if haveAVX2 {
		geluRows, geluGradRows = geluRowsAsm, geluGradRowsAsm
	}
}

// geluRowAVX2 sets y[j] = GELU(x[j] + b[j]) for j < n, n a multiple of
// 8 (gelu_amd64.s).
//
//go:noescape
func geluRowAVX2(y, x, b *float32, n int)

// geluGradRowAVX2 sets dx[j] = dy[j]·GELU'(x[j] + b[j]) and adds it to
// share[j] for j < n, n a multiple of 8 (gelu_amd64.s).
//
//go:noescape
func geluGradRowAVX2(dx, x, b, dy, share *float32, n int)

// geluRowsAsm is geluRowsGo with each row's first len(b) &^ 7 values in
// assembly (AVX2) and the rest in Go.
func geluRowsAsm(y, x, b []float32) {
	f := len(b)
	v := f &^ 7
	for r := 0; r < len(y)/f; r++ {
		yr, xr := y[r*f:(r+1)*f], x[r*f:(r+1)*f]
		if v > 0 {
			geluRowAVX2(&yr[0], &xr[0], &b[0], v)
		}
		if v < f {
			geluRowsGo(yr[v:], xr[v:], b[v:])
		}
	}
}

// geluGradRowsAsm is geluGradRowsGo with each row's first len(b) &^ 7
// values in assembly (AVX2) and the rest in Go; each column's share still
// takes the rows in order.
func geluGradRowsAsm(dx, x, b, dy, share []float32) {
	f := len(b)
	v := f &^ 7
	share = share[:f]
	for r := 0; r < len(dx)/f; r++ {
		dxr, xr, dyr := dx[r*f:(r+1)*f], x[r*f:(r+1)*f], dy[r*f:(r+1)*f]
		if v > 0 {
			geluGradRowAVX2(&dxr[0], &xr[0], &b[0], &dyr[0], &share[0], v)
		}
		if v < f {
			geluGradRowsGo(dxr[v:], xr[v:], b[v:], dyr[v:], share[v:])
		}
	}
}
