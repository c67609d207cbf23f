//go:build !openblas && amd64

package nn

// layerNormRowsAVX2 is layerNormRowsGo on n ≥ 1 rows of h ≥ 1 values, in
// Go assembly with AVX2 (layernorm_amd64.s); r may be nil.
//
//go:noescape
func layerNormRowsAVX2(y, x, r, gamma, beta, mean, rstd *float32, n, h int, eps float64)

// layerNormGradRowsAVX2 is layerNormGradRowsGo on n ≥ 1 rows of h ≥ 1
// values (layernorm_amd64.s); r and dr may be nil.
//
//go:noescape
func layerNormGradRowsAVX2(dx, dr, dg, db, x, r, gamma, dy, mean, rstd *float32, n, h int)

func init() {
	if haveAVX2 {
		layerNormRows, layerNormGradRows = layerNormRowsAsm, layerNormGradRowsAsm
	}
}

// layerNormRowsAsm is layerNormRowsGo in Go assembly (AVX2).
func layerNormRowsAsm(y, x, r, g, b, mean, rstd []float32, eps float64) {
	h, n := len(g), len(mean)
	if n == 0 || h == 0 {
		layerNormRowsGo(y, x, r, g, b, mean, rstd, eps)
		return
	}
	_, _ = y[n*h-1], x[n*h-1]
	var rp *float32
	if r != nil {
		_ = r[n*h-1]
		rp = &r[0]
	}
	_, _ = b[h-1], rstd[n-1]
	layerNormRowsAVX2(&y[0], &x[0], rp, &g[0], &b[0], &mean[0], &rstd[0], n, h, eps)
}

// layerNormGradRowsAsm is layerNormGradRowsGo in Go assembly (AVX2).
func layerNormGradRowsAsm(dx, dr, dg, db, x, r, g, dy, mean, rstd []float32) {
	h, n := len(g), len(mean)
	if n == 0 || h == 0 {
		layerNormGradRowsGo(dx, dr, dg, db, x, r, g, dy, mean, rstd)
		return
	}
	_, _, _ = dx[n*h-1], x[n*h-1], dy[n*h-1]
	var rp, drp *float32
	if r != nil {
		_ = r[n*h-1]
		rp = &r[0]
	}
	if dr != nil {
		_ = dr[n*h-1]
		drp = &dr[0]
	}
	_, _, _ = dg[h-1], db[h-1], rstd[n-1]
	layerNormGradRowsAVX2(&dx[0], drp, &dg[0], &db[0], &x[0], rp, &g[0], &dy[0], &mean[0], &rstd[0], n, h)
}
