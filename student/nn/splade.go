package nn

import (
	"fmt"
	"math"
	"slices"

	"gorgonia.org/tensor"
)

// DefaultSpladeTile is the number of vocabulary rows SpladeMax scores at once.
const DefaultSpladeTile = 1024

// spladeGroupTokens is about how many tokens (whole sequences) SpladeMax
// scores against a vocabulary tile in one product.
const spladeGroupTokens = 256

// SpladeMax is SPLADE's vocabulary head fused with its max pooling: the MLM
// logits, the log-saturation and the max over tokens in one pass, tiled over
// the vocabulary so that the [B, T, V] logits never exist.
//
// Inputs: h [B·T, H] (hidden states after the MLM transform and LayerNorm),
// E [V, H] (decoder weight, tied to the word embeddings), c [V] (decoder
// bias), mask [B, T] (1 for real tokens). Output: w [B, V].
//
// Forward, per tile of Tile vocabulary rows:
//
//	z_btj = h_bt·E_j + c_j          (GEMM [Tile,H]×[H,T·(sequences per group)])
//	w_bj  = max_{t: mask_bt=1} log(1 + ReLU(z_btj))
//	      = log(1 + ReLU(z_bt*j)),  t* = argmax_t z_btj
//
// log(1+ReLU(·)) is monotone, so the max is taken on z and t*(b, j) is saved
// (−1 when z_bt*j ≤ 0, where w is 0 and flat).
//
// Backward, given dw, through the saved argmax only, with
// g_bj = dw_bj/(1 + z_bt*j) = dw_bj·exp(−w_bj):
//
//	dh_bt* += g_bj·E_j,  dE_j += g_bj·h_bt*,  dc_j += g_bj
//
// These are B·V row updates of length H instead of a dense GEMM.
type SpladeMax struct {
	Tile int

	argmax []int32 // [B, V], set by a training forward pass
	argbuf []int32 // argmax's memory, reused from one pass to the next
}

// NewSpladeMax returns a SpladeMax kernel scoring tile vocabulary rows at a
// time (DefaultSpladeTile when tile ≤ 0).
func NewSpladeMax(tile int) *SpladeMax {
	if tile <= 0 {
		tile = DefaultSpladeTile
	}
	return &SpladeMax{Tile: tile}
}

func (s *SpladeMax) Name() string    { return "SpladeMax" }
func (s *SpladeMax) DiffWRT() []bool { return []bool{true, true, true, false} }

func (s *SpladeMax) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(s.Name(), in, 4); err != nil {
		return nil, err
	}
	h, e, c, m := in[0], in[1], in[2], in[3]
	if len(m) != 2 {
		return nil, &ShapeError{Op: s.Name(), Input: "mask", Got: m, Want: "[B, T]"}
	}
	if len(h) != 2 || h[0] != m[0]*m[1] {
		return nil, &ShapeError{Op: s.Name(), Input: "h", Got: h, Want: fmt.Sprintf("[%d, H]", m[0]*m[1])}
	}
	if len(e) != 2 || e[1] != h[1] {
		return nil, &ShapeError{Op: s.Name(), Input: "E", Got: e, Want: fmt.Sprintf("[V, %d]", h[1])}
	}
	if len(c) != 1 || c[0] != e[0] {
		return nil, &ShapeError{Op: s.Name(), Input: "c", Got: c, Want: fmt.Sprintf("[%d]", e[0])}
	}
	return tensor.Shape{m[0], e[0]}, nil
}

func (s *SpladeMax) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return s.forward(in, train, nil)
}

func (s *SpladeMax) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return s.backward(in, out, dOut, nil)
}

func (s *SpladeMax) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := s.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	h, e, c, mask := f32(in[0]), f32(in[1]), f32(in[2]), f32(in[3])
	B, T := in[3].Shape()[0], in[3].Shape()[1]
	V, H := in[1].Shape()[0], in[1].Shape()[1]
	out, w := mem.dense(false, B, V)
	if len(s.argbuf) != B*V {
		s.argbuf = make([]int32, B*V)
	}
	argmax := s.argbuf
	tiles := (V + s.Tile - 1) / s.Tile
	// reduce takes the max over the real tokens of sequence b for the n
	// vocabulary rows j0… of a tile of logits, row j at z[j·ldz:] (T values).
	reduce := func(z []float32, ldz, b, j0, n int) {
		m := mask[b*T : (b+1)*T]
		if !slices.Contains(m, 0) {
			m = nil
		}
		k := b*V + j0
		wk, ak := w[k:k+n], argmax[k:k+n]
		spladeMaxRows(z, ldz, T, m, c[j0:j0+n], wk, ak)
		for j, a := range ak {
			if a >= 0 {
				wk[j] = float32(math.Log1p(float64(wk[j])))
			}
		}
	}
	// A task scores one vocabulary tile against a group of sequences in
	// one GEMM; consecutive tasks share the tile, which stays in cache.
	group := B
	if T > 0 {
		group = max(1, min(B, spladeGroupTokens/T))
	}
	groups := (B + group - 1) / group
	zs := mem.scratch(tiles*groups, s.Tile*group*T)
	parallelFor(tiles*groups, func(lo, hi int) {
		z := zs(lo)
		for task := lo; task < hi; task++ {
			j0, b0 := task/groups*s.Tile, task%groups*group
			n, nb := min(s.Tile, V-j0), min(group, B-b0)
			ldz := nb * T
			sgemm(false, true, n, ldz, H, 1, e[j0*H:], H, h[b0*T*H:], H, 0, z, ldz) // zᵀ = E_tile·h_groupᵀ
			for i := 0; i < nb; i++ {
				reduce(z[i*T:], ldz, b0+i, j0, n)
			}
		}
	})
	if train {
		s.argmax = argmax
	}
	return out, nil
}

// spladeMaxRows sets, for each of the len(c) rows j of logits at z[j·ldz:]
// (T values), arg[j] to the first position t of the largest z_jt among the
// real tokens (mask[t] ≠ 0; all of them with a nil mask), and w[j] to that
// z_jt + c[j]; where no token exceeds −∞ or the sum is ≤ 0, to −1 and 0.
// A NaN logit is never the largest. spladeMaxRowsGo is the Go loop; the
// cgo build swaps in a vectorised C copy with the same results, and the
// pure-Go build on AVX2 a Go assembly one (splade_amd64.s).
var spladeMaxRows = spladeMaxRowsGo

func spladeMaxRowsGo(z []float32, ldz, T int, mask, c, w []float32, arg []int32) {
	for j := range c {
		best, at := float32(math.Inf(-1)), -1
		row := z[j*ldz : j*ldz+T]
		if mask == nil {
			for t, v := range row {
				if v > best {
					best, at = v, t
				}
			}
		} else {
			for t, v := range row {
				if mask[t] != 0 && v > best {
					best, at = v, t
				}
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

func (s *SpladeMax) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	if s.argmax == nil {
		return nil, ErrNoForward
	}
	h, e := f32(in[0]), f32(in[1])
	w, dw := f32(out), f32(dOut)
	B, T := in[3].Shape()[0], in[3].Shape()[1]
	V, H := in[1].Shape()[0], in[1].Shape()[1]
	// g_bj = dw_bj·exp(−w_bj), kept in place of the argmax pairs.
	g := mem.floats(B*V, false)
	parallelFor(B*V, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			g[k] = 0
			if s.argmax[k] >= 0 {
				g[k] = dw[k] * exp32(-w[k])
			}
		}
	})
	dhT, dh := mem.dense(true, B*T, H)
	deT, de := mem.dense(true, V, H)
	dcT, dc := mem.dense(true, V)
	parallelFor(V, func(lo, hi int) { // rows of dE and dc
		spladeScatterE(h, g, s.argmax, de, dc, V, T, H, lo, hi)
	})
	parallelFor(B, func(lo, hi int) { // rows of dh, a tile of E at a time
		spladeScatterH(e, g, s.argmax, dh, V, T, H, s.Tile, lo, hi)
	})
	s.argmax = nil
	return []*tensor.Dense{dhT, deT, dcT, nil}, nil
}

// spladeScatterE adds g_bj·h_bt* to dE_j and g_bj to dc_j for the
// vocabulary rows j in [j0, j1), over the sequences b in order, where
// t* = argmax[b·V+j] ≥ 0. spladeScatterH adds g_bj·E_j to dh_bt* for the
// sequences b in [b0, b1), a tile of vocabulary rows at a time, j in order.
// The Go loops are below; the cgo build swaps in vectorised C copies with
// the same roundings (a product, then a sum, as axpy), and the pure-Go
// build on AVX2 Go assembly ones (splade_amd64.s).
var (
	spladeScatterE = spladeScatterEGo
	spladeScatterH = spladeScatterHGo
)

func spladeScatterEGo(h, g []float32, argmax []int32, de, dc []float32, V, T, H, j0, j1 int) {
	B := len(argmax) / V
	for j := j0; j < j1; j++ {
		for b := 0; b < B; b++ {
			k := b*V + j
			if t := argmax[k]; t >= 0 {
				row := (b*T + int(t)) * H
				axpy(g[k], h[row:row+H], de[j*H:(j+1)*H])
				dc[j] += g[k]
			}
		}
	}
}

func spladeScatterHGo(e, g []float32, argmax []int32, dh []float32, V, T, H, tile, b0, b1 int) {
	for j0 := 0; j0 < V; j0 += tile {
		for b := b0; b < b1; b++ {
			for j := j0; j < min(j0+tile, V); j++ {
				k := b*V + j
				if t := argmax[k]; t >= 0 {
					row := (b*T + int(t)) * H
					axpy(g[k], e[j*H:(j+1)*H], dh[row:row+H])
				}
			}
		}
	}
}
