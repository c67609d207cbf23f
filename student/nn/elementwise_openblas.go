//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#include <stdint.h>
#include <string.h>

// The elementwise loops of GELU (gelu.go) and of the attention softmax
// (attention.go, exp32 of fastmath.go) in C, for the cgo (openblas) build:
// the same float64 (GELU) and float32 (softmax) operations in the same
// order (no FMA contraction, no reassociation: order-dependent sums stay
// scalar), written branch-free so that gcc vectorises them with AVX2 where
// the CPU has it. Results are bit-identical to the Go loops
// (fastmath_test.go checks).

// These functions only: -O3 (vectorisation), no FP-exception semantics
// (lets gcc if-convert the selects), no FMA contraction.
#pragma GCC optimize ("O3", "no-trapping-math", "fp-contract=off")
#define VEC_ATTRS __attribute__((target("avx2")))

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

VEC_ATTRS static void distill_gelu_rows(float *restrict y, const float *restrict x, const float *restrict b, long rows, long f) {
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

VEC_ATTRS static void distill_gelu_grad_rows(float *restrict dx, const float *restrict x, const float *restrict b,
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

// exp32 of fastmath.go in C: float32 throughout, the same operations.
static inline float distill_exp32(float x) {
	int k = (int)(x*1.44269504088896340735992468100189214f + 256.5f) - 256;
	float kf = (float)k;
	float r = x - kf*0.693359375f - kf*-2.12194440e-4f;
	float p = 1.9875691500e-4f;
	p = p*r + 1.3981999507e-3f;
	p = p*r + 8.3334519073e-3f;
	p = p*r + 4.1665795894e-2f;
	p = p*r + 1.6666665459e-1f;
	p = p*r + 5.0000001201e-1f;
	float y = p*r*r + r + 1;
	uint32_t nb = (uint32_t)(k+127) << 23, sb = (uint32_t)(k+253) << 23;
	float n, s;
	memcpy(&n, &nb, sizeof n);
	memcpy(&s, &sb, sizeof s);
	float v = k < -126 ? y * s * 0x1p-126f : y * n;
	v = x < -104 ? 0.0f : v;
	v = x > 88.72283f ? __builtin_inff() : v;
	return x != x ? x : v;
}

// softmaxMasked of attention.go in C: the maximum and the sum in the Go
// order (scalar), exp and the scaling vectorised.
VEC_ATTRS static void distill_softmax_rows(float *restrict p, long S, const float *restrict keep) {
	for (long i = 0; i < S; i++) {
		float *restrict row = p + i*S;
		float mx = -__builtin_inff();
		for (long j = 0; j < S; j++) {
			if (keep[j] != 0 && row[j] > mx) {
				mx = row[j];
			}
		}
		for (long j = 0; j < S; j++) {
			float e = distill_exp32(row[j] - mx);
			row[j] = keep[j] != 0 ? e : 0.0f;
		}
		float sum = 0;
		for (long j = 0; j < S; j++) {
			sum += row[j]; // masked entries add +0, which leaves the sum as Go's
		}
		if (sum > 0) {
			float inv = 1 / sum;
			for (long j = 0; j < S; j++) {
				row[j] *= inv;
			}
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
		softmaxRows = softmaxRowsC
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

// softmaxRowsC is softmaxMasked in C (AVX2).
func softmaxRowsC(p []float32, S int, keep []float32) {
	if S == 0 {
		return
	}
	_ = p[S*S-1]
	_ = keep[S-1]
	C.distill_softmax_rows((*C.float)(unsafe.Pointer(&p[0])), C.long(S), (*C.float)(unsafe.Pointer(&keep[0])))
}
