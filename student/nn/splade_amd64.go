//go:build !openblas && amd64

package nn

import "math"

func init() {
	if haveAVX2 {
		spladeMaxRows = spladeMaxRowsAsm
	}
}

// spladeMaxArgs sets arg[j], for the n rows j of logits at z[j·ldz:], to
// the first position t < t8 (t8 a positive multiple of 8) of the largest
// z_jt among the real tokens (mask[t] ≠ 0, all with a nil mask), or to −1
// where none is above −∞ (splade_amd64.s).
//
//go:noescape
func spladeMaxArgs(z *float32, ldz, t8 int, mask *float32, arg *int32, n int)

// spladeMaxRowsAsm is spladeMaxRowsGo with each row's first T &^ 7
// positions scanned in assembly (AVX2) and the rest in Go.
func spladeMaxRowsAsm(z []float32, ldz, T int, mask, c, w []float32, arg []int32) {
	n, t8 := len(c), T&^7
	if n == 0 || t8 == 0 {
		spladeMaxRowsGo(z, ldz, T, mask, c, w, arg)
		return
	}
	_, _, _ = z[(n-1)*ldz+T-1], w[n-1], arg[n-1]
	var m *float32
	if mask != nil {
		_ = mask[T-1]
		m = &mask[0]
	}
	spladeMaxArgs(&z[0], ldz, t8, m, &arg[0], n)
	for j := range n {
		row := z[j*ldz : j*ldz+T]
		best, at := float32(math.Inf(-1)), int(arg[j])
		if at >= 0 {
			best = row[at]
		}
		for t := t8; t < T; t++ {
			if (mask == nil || mask[t] != 0) && row[t] > best {
				best, at = row[t], t
			}
		}
		best += c[j]
		if at < 0 || best <= 0 {
			arg[j], w[j] = -1, 0
			continue
		}
		arg[j], w[j] = int32(at), best
	}
}
