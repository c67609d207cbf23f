//go:build !openblas && amd64

package training

import "golang.org/x/sys/cpu"

// The pure-Go build's optimizer loops in Go assembly (adamw_amd64.s) where
// the CPU has AVX2: the same float32 and float64 operations in the same
// order as adamwBlockGo and sumSquaresGo (no FMA), so the bits are the Go
// loops' (TestOptimizerKernelsAgree); the cgo build has C ones instead.
func init() {
	if cpu.X86.HasAVX2 {
		adamwBlock, sumSquares = adamwBlockAsm, sumSquaresAsm
	}
}

// adamwAVX2 is adamwBlockGo on p[:n], grad[:n], m[:n], v[:n], n a multiple
// of 8 (adamw_amd64.s).
//
//go:noescape
func adamwAVX2(p, grad, m, v *float32, n int, k *adamwStep, decay bool)

// sumSquaresAVX2 adds x[j]² to s[j mod 8] in float64 for j < n, n a
// multiple of 8 (adamw_amd64.s).
//
//go:noescape
func sumSquaresAVX2(x *float32, n int, s *[8]float64)

// adamwBlockAsm is adamwBlockGo with the first len(p) &^ 7 elements in
// assembly (AVX2) and the rest in Go.
func adamwBlockAsm(p, g, m, v []float32, k *adamwStep, decay bool) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	n := len(p) &^ 7
	if n > 0 {
		adamwAVX2(&p[0], &g[0], &m[0], &v[0], n, k, decay)
	}
	adamwBlockGo(p[n:], g[n:], m[n:], v[n:], k, decay)
}

// sumSquaresAsm is sumSquaresGo with the first len(x) &^ 7 squares summed
// in assembly (AVX2) into the same eight partial sums.
func sumSquaresAsm(x []float32) float64 {
	var s [8]float64
	n := len(x) &^ 7
	if n > 0 {
		sumSquaresAVX2(&x[0], n, &s)
	}
	for j := n; j < len(x); j++ {
		a := float64(x[j])
		s[j&7] += float64(a * a)
	}
	return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]))
}
