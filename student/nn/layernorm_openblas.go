//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm
#include <immintrin.h>
#include <math.h>

// layerNormRowsGo and layerNormGradRowsGo of layernorm.go in C with AVX2
// for the cgo (openblas) build: the same float64 (statistics) and float32
// operations in the same order, eight lanes at a time. Value j of a row
// goes to partial sum j mod 8, as in Go: lanes 0–3 and 4–7 of a vector of
// eight are the two halves; a row's tail (its last h mod 8 values) adds to
// the stored partials one by one, which are then added as the same tree
// ((0+1)+(2+3))+((4+5)+(6+7)). No FMA (the target has none, contraction
// is off), so every product and sum rounds as in Go. Results are
// bit-identical to the Go loops (layernorm_test.go checks).
#pragma GCC optimize ("O3", "fp-contract=off")
#define LN_ATTRS __attribute__((target("avx2")))

static inline double ln_tree64(const double *s) {
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static inline float ln_tree32(const float *s) {
	return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// The row x (+ r) at j, eight values.
LN_ATTRS static inline __m256 ln_load(const float *x, const float *r, long j) {
	__m256 v = _mm256_loadu_ps(x + j);
	return r ? _mm256_add_ps(v, _mm256_loadu_ps(r + j)) : v;
}

LN_ATTRS static void distill_layernorm_rows(float *y, const float *x, const float *r,
		const float *g, const float *b, float *mean, float *rstd, long n, long h, double eps) {
	long hv = h & ~7L;
	for (long i = 0; i < n; i++) {
		float *row = y + i*h;
		const float *xr = x + i*h, *rr = r ? r + i*h : 0;
		// Pass 1: the sum x (+ r) into y, and its mean.
		__m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
		for (long j = 0; j < hv; j += 8) {
			__m256 v = ln_load(xr, rr, j);
			_mm256_storeu_ps(row + j, v);
			lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
			hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
		}
		double s[8];
		_mm256_storeu_pd(s, lo);
		_mm256_storeu_pd(s + 4, hi);
		for (long j = hv; j < h; j++) {
			float v = rr ? xr[j] + rr[j] : xr[j];
			row[j] = v;
			s[j & 7] += (double)v;
		}
		double mu = ln_tree64(s) / (double)h;
		// Pass 2: the variance about the mean.
		__m256d vmu = _mm256_set1_pd(mu);
		lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
		for (long j = 0; j < hv; j += 8) {
			__m256 v = _mm256_loadu_ps(row + j);
			__m256d d0 = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v)), vmu);
			__m256d d1 = _mm256_sub_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)), vmu);
			lo = _mm256_add_pd(lo, _mm256_mul_pd(d0, d0));
			hi = _mm256_add_pd(hi, _mm256_mul_pd(d1, d1));
		}
		_mm256_storeu_pd(s, lo);
		_mm256_storeu_pd(s + 4, hi);
		for (long j = hv; j < h; j++) {
			double d = (double)row[j] - mu;
			s[j & 7] += d * d;
		}
		double rs = 1 / sqrt(ln_tree64(s)/(double)h + eps);
		float m32 = (float)mu, r32 = (float)rs;
		mean[i] = m32;
		rstd[i] = r32;
		// Pass 3: y = (s − μ)·σ⁻¹·γ + β.
		__m256 vm = _mm256_set1_ps(m32), vr = _mm256_set1_ps(r32);
		for (long j = 0; j < hv; j += 8) {
			__m256 v = _mm256_mul_ps(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + j), vm), vr), _mm256_loadu_ps(g + j));
			_mm256_storeu_ps(row + j, _mm256_add_ps(v, _mm256_loadu_ps(b + j)));
		}
		for (long j = hv; j < h; j++) {
			row[j] = (row[j] - m32) * r32 * g[j] + b[j];
		}
	}
}

LN_ATTRS static void distill_layernorm_grad_rows(float *dx, float *dr, float *dg, float *db,
		const float *x, const float *r, const float *g, const float *dy,
		const float *mean, const float *rstd, long n, long h) {
	long hv = h & ~7L;
	for (long i = 0; i < n; i++) {
		const float *xr = x + i*h, *rr = r ? r + i*h : 0, *dyr = dy + i*h;
		float *dxr = dx + i*h, *drr = dr ? dr + i*h : 0;
		float mu = mean[i], rs = rstd[i];
		__m256 vmu = _mm256_set1_ps(mu), vrs = _mm256_set1_ps(rs);
		// Pass 1: the sums of γ⊙dy and γ⊙dy⊙ŝ, and the rows' shares of dγ
		// and dβ.
		__m256 sg = _mm256_setzero_ps(), sgx = _mm256_setzero_ps();
		for (long j = 0; j < hv; j += 8) {
			__m256 xh = _mm256_mul_ps(_mm256_sub_ps(ln_load(xr, rr, j), vmu), vrs);
			__m256 d = _mm256_loadu_ps(dyr + j);
			__m256 gy = _mm256_mul_ps(_mm256_loadu_ps(g + j), d);
			sg = _mm256_add_ps(sg, gy);
			sgx = _mm256_add_ps(sgx, _mm256_mul_ps(gy, xh));
			_mm256_storeu_ps(dg + j, _mm256_add_ps(_mm256_loadu_ps(dg + j), _mm256_mul_ps(d, xh)));
			_mm256_storeu_ps(db + j, _mm256_add_ps(_mm256_loadu_ps(db + j), d));
		}
		float s[8], t[8];
		_mm256_storeu_ps(s, sg);
		_mm256_storeu_ps(t, sgx);
		for (long j = hv; j < h; j++) {
			float xh = ((rr ? xr[j] + rr[j] : xr[j]) - mu) * rs;
			float d = dyr[j], gy = g[j] * d;
			s[j & 7] += gy;
			t[j & 7] += gy * xh;
			dg[j] += d * xh;
			db[j] += d;
		}
		float mg = ln_tree32(s) / (float)h, mgx = ln_tree32(t) / (float)h;
		// Pass 2: ds = σ⁻¹·(γ⊙dy − mean(g) − ŝ·mean(g⊙ŝ)), ŝ recomputed.
		__m256 vmg = _mm256_set1_ps(mg), vmgx = _mm256_set1_ps(mgx);
		for (long j = 0; j < hv; j += 8) {
			__m256 xh = _mm256_mul_ps(_mm256_sub_ps(ln_load(xr, rr, j), vmu), vrs);
			__m256 gy = _mm256_mul_ps(_mm256_loadu_ps(g + j), _mm256_loadu_ps(dyr + j));
			__m256 v = _mm256_mul_ps(vrs, _mm256_sub_ps(_mm256_sub_ps(gy, vmg), _mm256_mul_ps(xh, vmgx)));
			_mm256_storeu_ps(dxr + j, v);
			if (drr) {
				_mm256_storeu_ps(drr + j, v);
			}
		}
		for (long j = hv; j < h; j++) {
			float xh = ((rr ? xr[j] + rr[j] : xr[j]) - mu) * rs;
			float v = rs * (g[j]*dyr[j] - mg - xh*mgx);
			dxr[j] = v;
			if (drr) {
				drr[j] = v;
			}
		}
	}
}
*/
import "C"

func init() {
	if haveAVX2 {
		layerNormRows, layerNormGradRows = layerNormRowsC, layerNormGradRowsC
	}
}

// layerNormRowsC is layerNormRowsGo in C (AVX2).
func layerNormRowsC(y, x, r, g, b, mean, rstd []float32, eps float64) {
	h, n := len(g), len(mean)
	if n == 0 || h == 0 {
		return
	}
	_, _ = y[n*h-1], x[n*h-1]
	if r != nil {
		_ = r[n*h-1]
	}
	_, _ = b[h-1], rstd[n-1]
	C.distill_layernorm_rows(cfloats(y), cfloats(x), cfloats(r), cfloats(g), cfloats(b),
		cfloats(mean), cfloats(rstd), C.long(n), C.long(h), C.double(eps))
}

// layerNormGradRowsC is layerNormGradRowsGo in C (AVX2).
func layerNormGradRowsC(dx, dr, dg, db, x, r, g, dy, mean, rstd []float32) {
	h, n := len(g), len(mean)
	if n == 0 || h == 0 {
		return
	}
	_, _, _ = dx[n*h-1], x[n*h-1], dy[n*h-1]
	if r != nil {
		_ = r[n*h-1]
	}
	if dr != nil {
		_ = dr[n*h-1]
	}
	_, _, _ = dg[h-1], db[h-1], rstd[n-1]
	C.distill_layernorm_grad_rows(cfloats(dx), cfloats(dr), cfloats(dg), cfloats(db),
		cfloats(x), cfloats(r), cfloats(g), cfloats(dy), cfloats(mean), cfloats(rstd), C.long(n), C.long(h))
}
