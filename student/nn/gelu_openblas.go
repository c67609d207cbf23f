//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#include <stdint.h>
#include <string.h>

// The GELU row loops of gelu.go in C, for the cgo (openblas) build: the
// same float64 operations in the same order (no FMA contraction, no
// reassociation), written branch-free so that gcc vectorises them with
// AVX2 (4 float64 lanes) where the CPU has it. Results are bit-identical
// to the Go loops (gelu_test.go checks).

#define GELU_ATTRS __attribute__((target("avx2"), optimize("O3", "no-trapping-math", "fp-contract=off")))

static inline double erf_p(double x2) {
	double p = -2.72614225801306e-10;
	p = p*x2 + 2.77068142495902e-08;
	p = p*x2 - 2.10102402082508e-06;
	p = p*x2 - 5.69250639462346e-05;
	p = p*x2 - 7.34990630326855e-04;
	p = p*x2 - 2.95459980854025e-03;
	return p*x2 - 1.60960333262415e-02;
}

static inline double erf_q(double x2) {
	double q = -1.45660718464996e-05;
	q = q*x2 - 2.13374055278905e-04;
	q = q*x2 - 1.68282697438203e-03;
	q = q*x2 - 7.37332916720468e-03;
	return q*x2 - 1.42647390514189e-02;
}

static inline double exp_taylor(double r) {
	double p = 1.0/5040;
	p = p*r + 1.0/720;
	p = p*r + 1.0/120;
	p = p*r + 1.0/24;
	p = p*r + 1.0/6;
	p = p*r + 0.5;
	p = p*r + 1;
	return p*r + 1;
}

GELU_ATTRS static void distill_gelu_rows(float *restrict y, const float *restrict x, const float *restrict b, long rows, long f) {
	for (long r = 0; r < rows; r++) {
		float *restrict yr = y + r*f;
		const float *restrict xr = x + r*f;
		for (long j = 0; j < f; j++) {
			double z = (double)(xr[j] + b[j]);
			double u = z * 0.70710678118654752440; // 1/√2
			double u2 = u * u;
			double rat = u * erf_p(u2) / erf_q(u2);
			double e = u < -4 ? -1.0 : (u <= 4 ? rat : 1.0);
			yr[j] = (float)(z * (0.5 + 0.5*e));
		}
	}
}

GELU_ATTRS static void distill_gelu_grad_rows(float *restrict dx, const float *restrict x, const float *restrict b,
		const float *restrict y, const float *restrict dy, long rows, long f) {
	const double inv_sqrt_2pi = 1 / __builtin_sqrt(2 * 3.14159265358979323846264338327950288); // as 1/math.Sqrt(2*math.Pi)
	for (long r = 0; r < rows; r++) {
		for (long j = 0; j < f; j++) {
			long i = r*f + j;
			float zf = x[i] + b[j];
			double z = (double)zf;
			double q = (double)y[i] / z;
			double cdf = zf != 0 ? q : 0.5;
			double t = -0.5 * z * z;
			t = t < -104 ? -104 : t;
			int k = (int)(t*1.44269504088896340735992468100189214 + 1024.5) - 1024;
			double rr = t - (double)k * 0.693147180559945309417232121458176568;
			uint64_t bits = (uint64_t)(int64_t)(k + 1023) << 52;
			double p2;
			memcpy(&p2, &bits, sizeof p2);
			double pdf = exp_taylor(rr) * p2 * inv_sqrt_2pi;
			dx[i] = dy[i] * (float)(cdf + z*pdf);
		}
	}
}

static int distill_have_avx2(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}
*/
import "C"

import "unsafe"

func init() {
	if C.distill_have_avx2() != 0 {
		geluRows, geluGradRows = geluRowsC, geluGradRowsC
	}
}

// geluRowsC is geluRows in C (AVX2).
func geluRowsC(y, x, b []float32) {
	if len(y) == 0 {
		return
	}
	f := len(b)
	C.distill_gelu_rows((*C.float)(unsafe.Pointer(&y[0])), (*C.float)(unsafe.Pointer(&x[0])),
		(*C.float)(unsafe.Pointer(&b[0])), C.long(len(y)/f), C.long(f))
}

// geluGradRowsC is geluGradRows in C (AVX2).
func geluGradRowsC(dx, x, b, y, dy []float32) {
	if len(dx) == 0 {
		return
	}
	f := len(b)
	C.distill_gelu_grad_rows((*C.float)(unsafe.Pointer(&dx[0])), (*C.float)(unsafe.Pointer(&x[0])),
		(*C.float)(unsafe.Pointer(&b[0])), (*C.float)(unsafe.Pointer(&y[0])), (*C.float)(unsafe.Pointer(&dy[0])),
		C.long(len(dx)/f), C.long(f))
}
