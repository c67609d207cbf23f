//go:build openblas

package nn

/*
#include <stdint.h>

static int distill_have_avx2(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}
*/
import "C"

import "unsafe"

// haveAVX2 reports whether the CPU has AVX2 and the OS saves its registers
// (libgcc's __builtin_cpu_supports checks both, with XGETBV): the C kernels
// of the cgo build (the *_openblas.go files) run only then, the Go loops
// otherwise. Package variables are set before the init functions that read
// it run.
var haveAVX2 = C.distill_have_avx2() != 0

// cfloats, cints and cint32s return a C pointer to s's first element, or
// nil for an empty s: the arguments of the C kernels.
func cfloats(s []float32) *C.float {
	if len(s) == 0 {
		return nil
	}
	return (*C.float)(unsafe.Pointer(&s[0]))
}

func cints(s []int) *C.int64_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int64_t)(unsafe.Pointer(&s[0]))
}

func cint32s(s []int32) *C.int32_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int32_t)(unsafe.Pointer(&s[0]))
}
