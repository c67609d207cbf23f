//go:build !openblas && !amd64

package nn

// haveGEMMKernel is false without the amd64 micro-kernel: gonum's Sgemm
// runs instead.
const haveGEMMKernel = false

func sgemmKernel(kc int, a *float32, rsa, csa int, b, c *float32, ldc int, alpha, beta float32) {
	panic("nn: no GEMM micro-kernel on this architecture")
}

func packPieces16(dst, src *float32, ld, count int) {
	panic("nn: no GEMM packing kernel on this architecture")
}
