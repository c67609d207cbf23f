//go:build openblas

package training

/*
#cgo CFLAGS: -O2
#include <immintrin.h>

// The optimizer's element loops (adamw.go) in C with AVX2 intrinsics, for
// the cgo (openblas) build: the same float32 (AdamW) and float64 (sum of
// squares) operations in the same order as adamwBlockGo and sumSquaresGo,
// no FMA contraction, so the results are bit-identical to the Go loops
// (adamw_test.go checks). The square root is IEEE's (vsqrtps, sqrtss), as
// float32(math.Sqrt) is: both are correctly rounded.
#pragma GCC optimize ("fp-contract=off")
#define VEC_ATTRS __attribute__((target("avx2")))

// distill_adamw_step mirrors adamwStep.
typedef struct {
	float b1, c1, b2, c2, step_size, sqrt_bc2, eps, decay, scale;
} distill_adamw_step;

VEC_ATTRS static void distill_adamw(float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
		long n, const distill_adamw_step *k, int decay) {
	const __m256 b1 = _mm256_set1_ps(k->b1), c1 = _mm256_set1_ps(k->c1), b2 = _mm256_set1_ps(k->b2),
		c2 = _mm256_set1_ps(k->c2), step = _mm256_set1_ps(k->step_size), sq = _mm256_set1_ps(k->sqrt_bc2),
		eps = _mm256_set1_ps(k->eps), f = _mm256_set1_ps(k->decay), s = _mm256_set1_ps(k->scale);
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		__m256 pj = _mm256_loadu_ps(p + j);
		if (decay) {
			pj = _mm256_mul_ps(pj, f);
		}
		__m256 gs = _mm256_mul_ps(_mm256_loadu_ps(g + j), s);
		__m256 mj = _mm256_add_ps(_mm256_mul_ps(b1, _mm256_loadu_ps(m + j)), _mm256_mul_ps(c1, gs));
		__m256 vj = _mm256_add_ps(_mm256_mul_ps(b2, _mm256_loadu_ps(v + j)), _mm256_mul_ps(_mm256_mul_ps(c2, gs), gs));
		__m256 den = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vj), sq), eps);
		pj = _mm256_sub_ps(pj, _mm256_div_ps(_mm256_mul_ps(step, mj), den));
		_mm256_storeu_ps(m + j, mj);
		_mm256_storeu_ps(v + j, vj);
		_mm256_storeu_ps(p + j, pj);
	}
	for (; j < n; j++) {
		float pj = p[j];
		if (decay) {
			pj *= k->decay;
		}
		float gs = g[j] * k->scale;
		m[j] = k->b1*m[j] + k->c1*gs;
		v[j] = k->b2*v[j] + k->c2*gs*gs;
		float den = _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(v[j])))/k->sqrt_bc2 + k->eps;
		p[j] = pj - k->step_size*m[j]/den;
	}
}

// distill_sum_squares: x[j]² into partial j mod 8 (lanes 0–3 of a, 4–7 of
// b), combined as sumSquaresGo does.
VEC_ATTRS static double distill_sum_squares(const float *x, long n) {
	__m256d a = _mm256_setzero_pd(), b = _mm256_setzero_pd();
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		__m256d x0 = _mm256_cvtps_pd(_mm_loadu_ps(x + j));
		__m256d x1 = _mm256_cvtps_pd(_mm_loadu_ps(x + j + 4));
		a = _mm256_add_pd(a, _mm256_mul_pd(x0, x0));
		b = _mm256_add_pd(b, _mm256_mul_pd(x1, x1));
	}
	double s[8];
	_mm256_storeu_pd(s, a);
	_mm256_storeu_pd(s + 4, b);
	for (; j < n; j++) {
		double y = x[j];
		s[j & 7] += y * y;
	}
	return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

static int distill_have_avx2(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}
*/
import "C"

import "unsafe"

// The C kernel reads an adamwStep as a distill_adamw_step: a compile error
// here if their sizes part (a field added to one only); the order of the
// fields is checked by TestOptimizerKernelsAgree, whose constants differ.
var _ [unsafe.Sizeof(adamwStep{})]struct{} = [unsafe.Sizeof(C.distill_adamw_step{})]struct{}{}

func init() {
	if C.distill_have_avx2() != 0 {
		adamwBlock, sumSquares = adamwBlockC, sumSquaresC
	}
}

// adamwBlockC is adamwBlockGo in C (AVX2).
func adamwBlockC(p, g, m, v []float32, k *adamwStep, decay bool) {
	if len(p) == 0 {
		return
	}
	_, _, _ = g[len(p)-1], m[len(p)-1], v[len(p)-1]
	d := C.int(0)
	if decay {
		d = 1
	}
	C.distill_adamw((*C.float)(unsafe.Pointer(&p[0])), (*C.float)(unsafe.Pointer(&g[0])), (*C.float)(unsafe.Pointer(&m[0])),
		(*C.float)(unsafe.Pointer(&v[0])), C.long(len(p)), (*C.distill_adamw_step)(unsafe.Pointer(k)), d)
}

// sumSquaresC is sumSquaresGo in C (AVX2).
func sumSquaresC(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	return float64(C.distill_sum_squares((*C.float)(unsafe.Pointer(&x[0])), C.long(len(x))))
}
