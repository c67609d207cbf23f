//go:build openblas

package nn

/*
#cgo LDFLAGS: -lopenblas
#include <stdlib.h>
#include <strings.h>

void openblas_set_num_threads(int);
char *openblas_get_corename(void);
// Present in DYNAMIC_ARCH builds (Debian's) only.
void gotoblas_dynamic_init(void) __attribute__((weak));
void gotoblas_dynamic_quit(void) __attribute__((weak));

// distill_reselect_core makes a DYNAMIC_ARCH OpenBLAS that fell back to a
// generic SSE3 core (0.3.21 takes Intel cores newer than Sapphire Rapids
// for a Prescott: ~200 instead of ~1,500 GFLOP/s on 16 cores) use the
// AVX-512 or AVX2 kernels the CPU supports, as OPENBLAS_CORETYPE would.
// It must run before any BLAS call; it leaves an explicit
// OPENBLAS_CORETYPE alone. It returns 1 when it changed the core.
static int distill_reselect_core(void) {
	static const char *generic[] = {"prescott", "core2", "penryn", "dunnington", "nehalem",
		"atom", "katmai", "coppermine", "northwood", "banias", "unknown"};
	const char *cur = openblas_get_corename(), *want = NULL;
	int fallback = 0;
	if (!gotoblas_dynamic_init || !gotoblas_dynamic_quit || getenv("OPENBLAS_CORETYPE") || !cur) {
		return 0;
	}
	for (unsigned i = 0; i < sizeof generic / sizeof generic[0]; i++) {
		fallback |= strcasecmp(cur, generic[i]) == 0;
	}
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
		want = "SkylakeX";
	} else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
		want = "Haswell";
	}
	if (!fallback || !want) {
		return 0;
	}
	gotoblas_dynamic_quit();
	setenv("OPENBLAS_CORETYPE", want, 1);
	gotoblas_dynamic_init();
	unsetenv("OPENBLAS_CORETYPE");
	return 1;
}
*/
import "C"

import (
	"os"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
	"gorgonia.org/gorgonia"
)

// With the openblas build tag, the kernels, gorgonia and gonum use OpenBLAS
// (cgo; Debian: apt-get install libopenblas-dev) instead of pure-Go BLAS.
//
// OpenBLAS runs with one thread per call, so that the many small products
// issued from parallel loops (attention heads, vocabulary tiles) run side by
// side: OpenBLAS's own workers would serialise concurrent calls. Large
// products (sgemmLarge) use all CPUs, by default through goroutines
// (gemmSplit); DISTILL_GEMM=openblas raises OpenBLAS's thread count for
// each large product instead (gemmBLASThreads). Between calls OpenBLAS's
// idle workers spin on sched_yield for up to 2^OPENBLAS_THREAD_TIMEOUT
// cycles (2²⁸ by default). This applies to every OpenBLAS user in the
// process.
func init() {
	BLASCore = C.GoString(C.openblas_get_corename())
	if C.distill_reselect_core() == 1 {
		BLASCore = C.GoString(C.openblas_get_corename()) + " (re-selected from " + BLASCore + ")"
	}
	C.openblas_set_num_threads(1)
	largeGEMM = gemmSplit
	if os.Getenv("DISTILL_GEMM") == "openblas" {
		largeGEMM = gemmBLASThreads
	}
	impl := netlib.Implementation{}
	blas32.Use(impl)
	blas64.Use(impl)
	gorgonia.Use(impl)
}

// setBLASThreads sets OpenBLAS's thread count for the calls that follow.
func setBLASThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

// BLAS names the BLAS implementation in use.
const BLAS = "openblas"

// BLASCore names the kernels OpenBLAS runs (its core type).
var BLASCore string
