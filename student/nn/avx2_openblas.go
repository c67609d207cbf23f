//go:build openblas

package nn

/*
static int distill_have_avx2(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}
*/
import "C"

// haveAVX2 reports whether the CPU has AVX2 and the OS saves its registers
// (libgcc's __builtin_cpu_supports checks both, with XGETBV): the C kernels
// of the cgo build (the *_openblas.go files) run only then, the Go loops
// otherwise. Package variables are set before the init functions that read
// it run.
var haveAVX2 = C.distill_have_avx2() != 0
