//go:build !openblas && amd64

package nn

import "math"

func init() {
	if haveAVX2 {
		spladeMaxRows = spladeMaxRowsAsm
		spladeScatterE, spladeScatterH = spladeScatterEAsm, spladeScatterHAsm
	}
}

// spladeMaxArgs sets arg[j], for the n rows j of logits at z[j·ldz:], to
// the first position t < t8 (t8 a positive multiple of 8) of the largest
// z_jt among the real tokens (mask[t] ≠ 0, all with a nil mask), or to −1
// where none is above −∞ (splade_amd64.s).
//
//go:noescape
func spladeMaxArgs(z *float32, ldz, t8 int, mask *float32, arg *int32, n int)

// spladeAxpyRows adds, for the n pairs i with k = i·stride and t =
// arg[k] ≥ 0, grad[k]·x[i·xi+t·xt:] to y[t·yt:] over h columns (a product,
// then a sum, as axpy), and with a non-nil dc each such grad[k] to *dc, in
// pair order (splade_amd64.s).
//
//go:noescape
func spladeAxpyRows(x, y, grad *float32, arg *int32, n, stride, xi, xt, yt, h int, dc *float32)

// spladeScatterEAsm is spladeScatterEGo with the row updates in assembly
// (AVX2): for each vocabulary row j, the pairs (b, j) over the sequences
// b in order. The argmax positions are below T, as the forward pass sets
// them.
func spladeScatterEAsm(h, g []float32, argmax []int32, de, dc []float32, V, T, H, j0, j1 int) {
	B := len(argmax) / V
	if j0 >= j1 || B == 0 || H == 0 {
		spladeScatterEGo(h, g, argmax, de, dc, V, T, H, j0, j1)
		return
	}
	_, _, _, _ = h[B*T*H-1], g[B*V-1], de[j1*H-1], dc[j1-1]
	for j := j0; j < j1; j++ {
		spladeAxpyRows(&h[0], &de[j*H], &g[j], &argmax[j], B, V, T*H, H, 0, H, &dc[j])
	}
}

// spladeScatterHAsm is spladeScatterHGo with the row updates in assembly
// (AVX2): per tile of vocabulary rows and sequence b, the pairs (b, j)
// over the tile's rows j in order.
func spladeScatterHAsm(e, g []float32, argmax []int32, dh []float32, V, T, H, tile, b0, b1 int) {
	if b0 >= b1 || V == 0 || H == 0 {
		return
	}
	_, _, _, _ = e[V*H-1], g[b1*V-1], argmax[b1*V-1], dh[b1*T*H-1]
	for j0 := 0; j0 < V; j0 += tile {
		for b := b0; b < b1; b++ {
			k := b*V + j0
			spladeAxpyRows(&e[j0*H], &dh[b*T*H], &g[k], &argmax[k], min(tile, V-j0), 1, H, 0, H, H, nil)
		}
	}
}

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
