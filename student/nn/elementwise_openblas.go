//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// The elementwise loops of GELU (gelu.go, gaussTail of fastmath.go) and of
// the attention softmax and its gradient (attention.go, exp32 of
// fastmath.go) in C, for the cgo (openblas) build: the same float32
// operations in the same order (no FMA contraction, no reassociation; the
// row sums keep the eight lanes of the Go loops' laneSum and laneDot), written
// branch-free so that gcc vectorises them with AVX2 where the CPU has it,
// or with AVX2 intrinsics for the lane sums and the maximum. Results are
// bit-identical to the Go loops (fastmath_test.go checks).

// These functions only: -O3 (vectorisation), no FP-exception semantics
// (lets gcc if-convert the selects), no FMA contraction.
#pragma GCC optimize ("O3", "no-trapping-math", "fp-contract=off")
#define VEC_ATTRS __attribute__((target("avx2")))

// exp32 of fastmath.go in C: float32 throughout, the same operations.
// The body runs on xc, which is x wherever Go runs it, and 0 for |x| > 104,
// ±Inf and NaN, whose results the selects at the end give: converting
// those to int would be undefined in C (UBSan stopped here on the softmax
// of a row holding −Inf).
static inline float distill_exp32(float x) {
	float xc = __builtin_fabsf(x) <= 104.0f ? x : 0.0f;
	int k = (int)(xc*1.44269504088896340735992468100189214f + 256.5f) - 256;
	float kf = (float)k;
	float r = xc - kf*0.693359375f - kf*-2.12194440e-4f;
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

// gaussTail of fastmath.go: returns q = Φ(−a) and sets *g = e^(−a²/2).
static inline float distill_gauss_tail(float a, float *g) {
	int in = a < 13.2f;
	a = in ? a : 0.0f; // any value in range: both results are zeroed below
	float a2 = a * a, s = a2;
	float p = (0.5f + a*0x1.c0d0b8p-2f) + a2*((0x1.774474p-3f + a*0x1.4cdebcp-5f) + a2*0x1.0dc504p-8f);
	float d = (1 + a*0x1.acaa8cp+0f) + a2*((0x1.33d77ep+0f + a*0x1.e0bd8ep-2f) + a2*(0x1.a13792p-4f + a*0x1.521a28p-7f));
	uint32_t bits;
	memcpy(&bits, &a, sizeof bits);
	bits &= ~(uint32_t)0xfff;
	float ah;
	memcpy(&ah, &bits, sizeof ah);
	float al = a - ah;
	float e = ((ah*ah - s) + (ah+ah)*al) + al*al;
	float x = -0.5f * s;
	float kr = x*1.44269504088896340735992468100189214f + 0x1.8p23f;
	float kf = kr - 0x1.8p23f;
	float r = x - kf*0.693359375f - kf*-2.12194440e-4f;
	float r2 = r * r;
	float t = (5.0000001201e-1f + r*1.6666665459e-1f) + r2*((4.1665795894e-2f + r*8.3334519073e-3f) + r2*(1.3981999507e-3f + r*1.9875691500e-4f));
	uint32_t nb;
	memcpy(&nb, &kr, sizeof nb);
	nb = (nb - 0x4b400000 + 127) << 23;
	float n;
	memcpy(&n, &nb, sizeof n);
	float ex = (t*r2 + r + 1) * n;
	ex -= ex * (0.5f * e);
	ex = in ? ex : 0.0f;
	*g = ex;
	return p / d * ex;
}

// abs32 of fastmath.go.
static inline float distill_abs32(float x) {
	uint32_t bits;
	memcpy(&bits, &x, sizeof bits);
	bits &= ~((uint32_t)1 << 31);
	memcpy(&x, &bits, sizeof x);
	return x;
}

// bySign of gelu.go: the sign bit picks (a compare and a blend once
// vectorised).
static inline float distill_by_sign(float z, float neg, float pos) {
	int32_t zb;
	memcpy(&zb, &z, sizeof zb);
	return zb < 0 ? neg : pos;
}

VEC_ATTRS static void distill_gelu_rows(float *restrict y, const float *restrict x, const float *restrict b, long rows, long f) {
	for (long r = 0; r < rows; r++) {
		float *restrict yr = y + r*f;
		const float *restrict xr = x + r*f;
		for (long j = 0; j < f; j++) {
			float z = xr[j] + b[j], g;
			float q = distill_gauss_tail(distill_abs32(z), &g);
			yr[j] = z * distill_by_sign(z, q, 1 - q);
		}
	}
}

VEC_ATTRS static void distill_gelu_grad_rows(float *restrict dx, const float *restrict x, const float *restrict b,
		const float *restrict dy, float *restrict share, long rows, long f) {
	for (long r = 0; r < rows; r++) {
		float *restrict dxr = dx + r*f;
		const float *restrict xr = x + r*f, *restrict dyr = dy + r*f;
		for (long j = 0; j < f; j++) {
			float z = xr[j] + b[j], g;
			float q = distill_gauss_tail(distill_abs32(z), &g);
			float d = dyr[j] * (distill_by_sign(z, q, 1 - q) + z*(g*0x1.988454p-2f)); // g·(1/√(2π)) = φ(z)
			dxr[j] = d;
			share[j] += d;
		}
	}
}

// laneSum and laneDot of attention.go: eight lanes, element j into lane j mod 8
// in order, then the lanes added as a fixed tree.
VEC_ATTRS static inline float distill_lanes8(__m256 acc, const float *x, const float *y, long j, long n) {
	float l[8];
	_mm256_storeu_ps(l, acc);
	for (; j < n; j++) {
		l[j & 7] += y ? x[j] * y[j] : x[j];
	}
	return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

VEC_ATTRS static inline float distill_lane_sum(const float *x, long n) {
	__m256 acc = _mm256_setzero_ps();
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		acc = _mm256_add_ps(acc, _mm256_loadu_ps(x + j));
	}
	return distill_lanes8(acc, x, NULL, j, n);
}

VEC_ATTRS static inline float distill_lane_dot(const float *x, const float *y, long n) {
	__m256 acc = _mm256_setzero_ps();
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
	}
	return distill_lanes8(acc, x, y, j, n);
}

// softmaxMasked of attention.go in C. The maximum over the kept columns
// is taken eight lanes at a time: the maximum of a set does not depend on
// the order (a NaN never wins, as in Go; ±0 tie, and x − (±0) differs only
// for x = −0, whose exp is 1 either way), so it is Go's.
VEC_ATTRS static void distill_softmax_rows(float *restrict p, long S, const float *restrict keep) {
	const __m256 zero = _mm256_setzero_ps();
	for (long i = 0; i < S; i++) {
		float *restrict row = p + i*S;
		__m256 m = _mm256_set1_ps(-__builtin_inff());
		long j = 0;
		for (; j + 8 <= S; j += 8) {
			__m256 v = _mm256_loadu_ps(row + j);
			__m256 in = _mm256_and_ps(_mm256_cmp_ps(_mm256_loadu_ps(keep + j), zero, _CMP_NEQ_UQ), _mm256_cmp_ps(v, m, _CMP_GT_OQ));
			m = _mm256_blendv_ps(m, v, in);
		}
		float l[8];
		_mm256_storeu_ps(l, m);
		float mx = l[0];
		for (int k = 1; k < 8; k++) {
			mx = l[k] > mx ? l[k] : mx;
		}
		for (; j < S; j++) {
			mx = keep[j] != 0 && row[j] > mx ? row[j] : mx;
		}
		for (j = 0; j < S; j++) {
			float e = distill_exp32(row[j] - mx);
			row[j] = keep[j] != 0 ? e : 0.0f;
		}
		float sum = distill_lane_sum(row, S);
		if (sum > 0) {
			float inv = 1 / sum;
			for (j = 0; j < S; j++) {
				row[j] *= inv;
			}
		}
	}
}

// softmaxGradRowsGo of attention.go in C.
VEC_ATTRS static void distill_softmax_grad_rows(float *restrict dp, const float *restrict p, long S) {
	for (long i = 0; i < S; i++) {
		float *restrict dr = dp + i*S;
		const float *restrict pr = p + i*S;
		float s = distill_lane_dot(pr, dr, S);
		for (long j = 0; j < S; j++) {
			dr[j] = pr[j] * (dr[j] - s);
		}
	}
}
*/
import "C"

func init() {
	if haveAVX2 {
		geluRows, geluGradRows = geluRowsC, geluGradRowsC
		softmaxRows, softmaxGradRows = softmaxRowsC, softmaxGradRowsC
	}
}

// geluRowsC is geluRows in C (AVX2).
func geluRowsC(y, x, b []float32) {
	if len(y) == 0 {
		return
	}
	f := len(b)
	_ = x[len(y)-1]
	C.distill_gelu_rows(cfloats(y), cfloats(x),
		cfloats(b), C.long(len(y)/f), C.long(f))
}

// geluGradRowsC is geluGradRows in C (AVX2).
func geluGradRowsC(dx, x, b, dy, share []float32) {
	if len(dx) == 0 {
		return
	}
	f := len(b)
	_, _, _ = x[len(dx)-1], dy[len(dx)-1], share[f-1]
	C.distill_gelu_grad_rows(cfloats(dx), cfloats(x),
		cfloats(b), cfloats(dy), cfloats(share),
		C.long(len(dx)/f), C.long(f))
}

// softmaxRowsC is softmaxMasked in C (AVX2).
func softmaxRowsC(p []float32, S int, keep []float32) {
	if S == 0 {
		return
	}
	_ = p[S*S-1]
	_ = keep[S-1]
	C.distill_softmax_rows(cfloats(p), C.long(S), cfloats(keep))
}

// softmaxGradRowsC is softmaxGradRowsGo in C (AVX2).
func softmaxGradRowsC(dp, p []float32, S int) {
	if S == 0 {
		return
	}
	_, _ = dp[S*S-1], p[S*S-1]
	C.distill_softmax_grad_rows(cfloats(dp), cfloats(p), C.long(S))
}
