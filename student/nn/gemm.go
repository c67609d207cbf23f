//go:build !openblas

package nn

import (
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// goGEMM is gonum's pure-Go BLAS with Sgemm replaced by a blocked product
// around a register-tiled micro-kernel (assembly, AVX2 and FMA): op(A) and
// op(B) are copied into panels of gemmMR rows and gemmNR columns, zero-
// padded, per block of gemmKC along k, and the kernel computes one
// gemmMR×gemmNR tile of C from a pair of panels, as BLIS and OpenBLAS do.
// Packing handles the transpositions, so one kernel serves all four cases.
// Where op(A) = A the kernel reads whole panels of gemmMR rows from A in
// place (rows side by side, each read in order): copying them cost more
// than it saved (BenchmarkSgemmShapes: 128×64×128 77 → 98 GFLOP/s, 1024×
// 256×256 102 → 109); Aᵀ is packed, its columns being lda apart (read in
// place, 1024×256×512 fell from 95 to 80).
//
// Each element of C is accumulated over k in the same order wherever it
// lies: per k-block of gemmKC (fixed by k alone) a sum from zero in k
// order with one FMA per term, then C = α·sum + β·C for the first block and
// C = α·sum + C for the others (products rounded, then added). Rows of C
// computed by separate calls therefore have the bits of a single call, at
// any cut, which the row split of sgemmLarge relies on.
//
// A call runs on one CPU; sgemmLarge spreads large products over the CPUs
// (gemmSplit), and setBLASThreads(n) with n > 1 makes calls split their
// rows over the CPUs the same way (GEMMRate).
type goGEMM struct{ gonum.Implementation }

// Block sizes: the kernel's tile (gemmMR×gemmNR), the depth of a block
// (gemmKC: a B panel of gemmKC×gemmNR floats, 32 KiB, serves all the A
// panels of a block), the rows of a block (gemmMC: a packed Aᵀ block of
// 288 KiB stays in L2) and the columns of a packed B block (gemmNC).
// Measured at one CPU on this EPYC (BenchmarkSgemmShapes, GFLOP per
// CPU-second): gemmKC 512 instead of 256 gave 98 → 105 on 8192×256×1024
// and 102 → 105 on 2048³, others within ±1; 384 and 768 less; gemmMC 48 to
// 288 and gemmNC 1,024 to 4,096 within ±2 (512: −4 on n = 1,024).
const (
	gemmMR = 6
	gemmNR = 16
	gemmKC = 512
	gemmMC = 144
	gemmNC = 2048
)

// gemmPacks holds one call's packed blocks; they are reused across calls.
type gemmPacks struct{ a, b []float32 }

// gemmThreaded makes each call split its rows over the CPUs.
var gemmThreaded atomic.Bool

var gemmPackPool = sync.Pool{New: func() any { return new(gemmPacks) }}

// Sgemm computes C = α·op(A)·op(B) + β·C on row-major matrices. Invalid
// arguments go to gonum's Sgemm, which panics with its message.
func (impl goGEMM) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	transA, transB := tA == blas.Trans || tA == blas.ConjTrans, tB == blas.Trans || tB == blas.ConjTrans
	if !gemmArgsValid(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) {
		impl.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if gemmThreaded.Load() && m >= 2*16 {
		splitRows(transA, m, lda, ldc, func(rows, aoff, coff int) {
			sgemmBlocked(transA, transB, rows, n, k, alpha, a[aoff:], lda, b, ldb, beta, c[coff:], ldc)
		})
		return
	}
	sgemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmArgsValid reports whether the arguments are ones gonum's Sgemm accepts.
func gemmArgsValid(tA, tB blas.Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) bool {
	okT := func(t blas.Transpose) bool { return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans }
	if !okT(tA) || !okT(tB) || m < 0 || n < 0 || k < 0 {
		return false
	}
	rowsA, colsA, rowsB, colsB := m, k, k, n
	if tA != blas.NoTrans {
		rowsA, colsA = k, m
	}
	if tB != blas.NoTrans {
		rowsB, colsB = n, k
	}
	if lda < max(1, colsA) || ldb < max(1, colsB) || ldc < max(1, n) {
		return false
	}
	need := func(rows, cols, ld int) int {
		if rows == 0 || cols == 0 {
			return 0
		}
		return (rows-1)*ld + cols
	}
	return len(a) >= need(rowsA, colsA, lda) && len(b) >= need(rowsB, colsB, ldb) && len(c) >= need(m, n, ldc)
}

// scaleC sets C = β·C (C = 0 for β = 0, whatever C holds).
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// sgemmBlocked computes C = α·op(A)·op(B) + β·C on one CPU: blocks of
// gemmNC columns, gemmKC depth and gemmMC rows, packed, then tiled.
func sgemmBlocked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	packs := gemmPackPool.Get().(*gemmPacks)
	defer gemmPackPool.Put(packs)
	kc0, nc0, mc0 := min(k, gemmKC), min(n, gemmNC), min(m, gemmMC)
	if need := kc0 * roundUp(nc0, gemmNR); len(packs.b) < need {
		packs.b = make([]float32, need)
	}
	if need := kc0 * roundUp(mc0, gemmMR); len(packs.a) < need {
		packs.a = make([]float32, need)
	}
	var edge [gemmMR * gemmNR]float32 // an edge tile's sums
	for j0 := 0; j0 < n; j0 += gemmNC {
		nc := min(gemmNC, n-j0)
		for p0 := 0; p0 < k; p0 += gemmKC {
			kc := min(gemmKC, k-p0)
			bt := beta // the first k-block scales C, the others add to it
			if p0 > 0 {
				bt = 1
			}
			packB(transB, kc, nc, b, ldb, p0, j0, packs.b)
			for i0 := 0; i0 < m; i0 += gemmMC {
				mc := min(gemmMC, m-i0)
				inPlace := 0 // rows of the block the kernel reads from A itself
				if !transA {
					inPlace = mc / gemmMR * gemmMR
				}
				if inPlace < mc {
					packA(transA, mc-inPlace, kc, a, lda, i0+inPlace, p0, packs.a)
				}
				for jr := 0; jr < nc; jr += gemmNR {
					bp := packs.b[jr*kc : (jr+gemmNR)*kc]
					for ir := 0; ir < mc; ir += gemmMR {
						var ap *float32
						rsa, csa := 1, gemmMR // a packed panel
						switch {
						case ir >= inPlace:
							ap = &packs.a[(ir-inPlace)*kc]
						default:
							ap, rsa, csa = &a[(i0+ir)*lda+p0], lda, 1
						}
						ci := (i0+ir)*ldc + j0 + jr
						rows, cols := min(gemmMR, mc-ir), min(gemmNR, nc-jr)
						if rows == gemmMR && cols == gemmNR {
							sgemmKernel(kc, ap, rsa, csa, &bp[0], &c[ci], ldc, alpha, bt)
							continue
						}
						sgemmKernel(kc, ap, rsa, csa, &bp[0], &edge[0], gemmNR, 1, 0)
						sgemmEpilogue(rows, cols, alpha, bt, edge[:], c[ci:], ldc)
					}
				}
			}
		}
	}
}

// sgemmEpilogue sets the valid rows×cols part of an edge tile of C to
// α·sum + β·C, rounding as the kernel does (two products, then their sum;
// the conversions keep the compiler from fusing them), with C unread for β = 0.
func sgemmEpilogue(rows, cols int, alpha, beta float32, sum []float32, c []float32, ldc int) {
	for i := range rows {
		s, row := sum[i*gemmNR:i*gemmNR+cols], c[i*ldc:i*ldc+cols]
		if beta == 0 {
			for j, v := range s {
				row[j] = alpha * v
			}
			continue
		}
		for j, v := range s {
			row[j] = float32(alpha*v) + float32(beta*row[j])
		}
	}
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }

// packA copies rows [i0, i0+mc) and columns [p0, p0+kc) of op(A) into
// panels of gemmMR rows, panel by panel: within a panel, column by column,
// gemmMR values each (zeros past row mc).
func packA(trans bool, mc, kc int, a []float32, lda, i0, p0 int, dst []float32) {
	for ir := 0; ir < mc; ir += gemmMR {
		panel, rows := dst[ir*kc:ir*kc+gemmMR*kc], min(gemmMR, mc-ir)
		if trans { // op(A)[i][p] = a[p·lda+i]: a panel column is a piece of a row of A
			packPieces(panel, gemmMR, kc, rows, a, p0*lda+i0+ir, lda)
		} else {
			packGather(panel, gemmMR, kc, rows, a, (i0+ir)*lda+p0, lda)
		}
	}
}

// packB copies rows [p0, p0+kc) and columns [j0, j0+nc) of op(B) into
// panels of gemmNR columns, panel by panel: within a panel, row by row,
// gemmNR values each (zeros past column nc).
func packB(trans bool, kc, nc int, b []float32, ldb, p0, j0 int, dst []float32) {
	for jr := 0; jr < nc; jr += gemmNR {
		panel, cols := dst[jr*kc:jr*kc+gemmNR*kc], min(gemmNR, nc-jr)
		if trans { // op(B)[p][j] = b[j·ldb+p]
			packGather(panel, gemmNR, kc, cols, b, (j0+jr)*ldb+p0, ldb)
		} else { // a panel row is a piece of a row of B
			packPieces(panel, gemmNR, kc, cols, b, p0*ldb+j0+jr, ldb)
		}
	}
}

// packPieces fills panel with count groups of width values: group p is
// src[start+p·ld:][:valid], then zeros.
func packPieces(panel []float32, width, count, valid int, src []float32, start, ld int) {
	switch {
	case count > 0 && width == 16 && valid == 16:
		// Whole pieces in assembly: a copy call per piece costs more than the moves.
		_, _ = panel[count*16-1], src[start+(count-1)*ld+15] // in bounds
		packPieces16(&panel[0], &src[start], ld, count)
		return
	case width == 6 && valid == 6: // as fast as the assembly loop
		for p := range count {
			d, s := panel[p*6:p*6+6:p*6+6], src[start+p*ld:start+p*ld+6:start+p*ld+6]
			d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
		}
		return
	}
	for p := range count {
		dst := panel[p*width : (p+1)*width]
		copy(dst, src[start+p*ld:start+p*ld+valid])
		clear(dst[valid:])
	}
}

// packGather fills panel with count groups of width values: value r of
// group p is src[start+r·ld+p] for r < valid, else zero. Six rows are read
// side by side with the panel written in order (A panels); other widths
// write each row's values with a stride (the panel stays in L1).
func packGather(panel []float32, width, count, valid int, src []float32, start, ld int) {
	if width == 6 && valid == 6 {
		r0, r1, r2 := src[start:start+count], src[start+ld:start+ld+count], src[start+2*ld:start+2*ld+count]
		r3, r4, r5 := src[start+3*ld:start+3*ld+count], src[start+4*ld:start+4*ld+count], src[start+5*ld:start+5*ld+count]
		for p := range count {
			g := panel[p*6 : p*6+6]
			g[0], g[1], g[2], g[3], g[4], g[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
		}
		return
	}
	for r := range width {
		if r >= valid {
			for p := range count {
				panel[p*width+r] = 0
			}
			continue
		}
		for p, v := range src[start+r*ld : start+r*ld+count] {
			panel[p*width+r] = v
		}
	}
}
