//go:build !openblas && amd64

package nn

func init() {
	if haveAVX2 {
		embedRows, embedGradCols = embedRowsAsm, embedGradColsAsm
	}
}

// embedRowsAVX2 sets x's row i (rows H floats apart) to w's row ids[i] +
// p's row s + t's row types[i] (row 0 with a nil types) for the n tokens
// i, s running on from s0 and wrapping to 0 at S (embedding_amd64.s).
//
//go:noescape
func embedRowsAVX2(x *float32, ids, types *int, w, p, t *float32, s0, S, H, n int)

// embedGradColsAVX2 adds, for the n tokens i, the m floats at dx + i·H to
// the same columns of dw's row ids[i], dp's row s and dt's row types[i]
// (row 0 with a nil types), s = i mod S; all rows are H floats apart
// (embedding_amd64.s).
//
//go:noescape
func embedGradColsAVX2(dw, dp, dt, dx *float32, ids, types *int, S, H, m, n int)

// embedRowsAsm is embedRowsGo in Go assembly (AVX2). The ids and types are
// checked against the matrices' rows before (Embeddings.forward).
func embedRowsAsm(x []float32, ids, types []int, w, p, t []float32, S, H, lo, hi int) {
	if lo >= hi || H == 0 {
		return
	}
	_, _, _, _ = x[hi*H-1], ids[hi-1], p[S*H-1], t[H-1]
	var ty *int
	if types != nil {
		_ = types[hi-1]
		ty = &types[lo]
	}
	embedRowsAVX2(&x[lo*H], &ids[lo], ty, &w[0], &p[0], &t[0], lo%S, S, H, hi-lo)
}

// embedGradColsAsm is embedGradColsGo in Go assembly (AVX2). The ids and
// types are checked against the matrices' rows before
// (Embeddings.backward).
func embedGradColsAsm(dw, dp, dt, dx []float32, ids, types []int, S, H, c0, c1 int) {
	n := len(ids)
	if c0 >= c1 || n == 0 {
		return
	}
	_, _, _ = dx[n*H-1], dp[S*H-1], dt[H-1]
	var ty *int
	if types != nil {
		_ = types[n-1]
		ty = &types[0]
	}
	embedGradColsAVX2(&dw[c0], &dp[c0], &dt[c0], &dx[c0], &ids[0], ty, S, H, c1-c0, n)
}
