//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#include <immintrin.h>
#include <stdint.h>

// embedRowsGo and embedGradColsGo of embedding.go in C with AVX2 for the
// cgo (openblas) build: the same float32 sums ((word + position) + type
// forward; each gradient row added token after token backward), eight
// columns at a time, so the bits are the Go loops' (y + 1·x = y + x
// exactly). The word embedding rows are scattered over the whole
// vocabulary matrix; the loops prefetch the rows of the token
// EMBED_AHEAD places ahead.
#pragma GCC optimize ("O3", "fp-contract=off")
#define EMBED_AHEAD 4

__attribute__((target("avx2")))
static inline void embed_prefetch(const float *row, long n) {
	for (long j = 0; j < n; j += 16) {
		_mm_prefetch((const char *)(row + j), _MM_HINT_T0);
	}
}

__attribute__((target("avx2")))
static void distill_embed_rows(float *x, const int64_t *ids, const int64_t *types, const float *w,
		const float *p, const float *t, long S, long H, long lo, long hi) {
	long hv = H & ~7L;
	for (long i = lo; i < hi; i++) {
		if (i + EMBED_AHEAD < hi) {
			embed_prefetch(w + ids[i + EMBED_AHEAD]*H, H);
		}
		float *row = x + i*H;
		const float *wr = w + ids[i]*H, *pr = p + (i % S)*H, *tr = t + (types ? types[i] : 0)*H;
		for (long j = 0; j < hv; j += 8) {
			__m256 v = _mm256_add_ps(_mm256_loadu_ps(wr + j), _mm256_loadu_ps(pr + j));
			_mm256_storeu_ps(row + j, _mm256_add_ps(v, _mm256_loadu_ps(tr + j)));
		}
		for (long j = hv; j < H; j++) {
			row[j] = wr[j] + pr[j] + tr[j];
		}
	}
}

__attribute__((target("avx2")))
static inline void embed_add(float *y, const float *x, long n) {
	long i = 0;
	for (; i + 8 <= n; i += 8) {
		_mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_loadu_ps(x + i)));
	}
	for (; i < n; i++) {
		y[i] = y[i] + x[i];
	}
}

__attribute__((target("avx2")))
static void distill_embed_grad_cols(float *dw, float *dp, float *dt, const float *dx,
		const int64_t *ids, const int64_t *types, long n, long S, long H, long c0, long c1) {
	for (long i = 0; i < n; i++) {
		if (i + EMBED_AHEAD < n) {
			embed_prefetch(dw + ids[i + EMBED_AHEAD]*H + c0, c1 - c0);
		}
		const float *row = dx + i*H + c0;
		embed_add(dw + ids[i]*H + c0, row, c1 - c0);
		embed_add(dp + (i % S)*H + c0, row, c1 - c0);
		embed_add(dt + (types ? types[i] : 0)*H + c0, row, c1 - c0);
	}
}
*/
import "C"

import "unsafe"

func init() {
	// The C loops read the ids as int64.
	if haveAVX2 && unsafe.Sizeof(int(0)) == 8 {
		embedRows, embedGradCols = embedRowsC, embedGradColsC
	}
}

// embedRowsC is embedRowsGo in C (AVX2). The ids and types are checked
// against the matrices' rows before (Embeddings.forward).
func embedRowsC(x []float32, ids, types []int, w, p, t []float32, S, H, lo, hi int) {
	if lo >= hi || H == 0 {
		return
	}
	_, _ = x[hi*H-1], ids[hi-1]
	if types != nil {
		_ = types[hi-1]
	}
	_, _ = p[S*H-1], t[H-1]
	C.distill_embed_rows(cfloats(x), cints(ids), cints(types), cfloats(w), cfloats(p), cfloats(t),
		C.long(S), C.long(H), C.long(lo), C.long(hi))
}

// embedGradColsC is embedGradColsGo in C (AVX2).
func embedGradColsC(dw, dp, dt, dx []float32, ids, types []int, S, H, c0, c1 int) {
	if c0 >= c1 || len(ids) == 0 {
		return
	}
	_ = dx[len(ids)*H-1]
	if types != nil {
		_ = types[len(ids)-1]
	}
	_, _ = dp[S*H-1], dt[H-1]
	C.distill_embed_grad_cols(cfloats(dw), cfloats(dp), cfloats(dt), cfloats(dx), cints(ids), cints(types),
		C.long(len(ids)), C.long(S), C.long(H), C.long(c0), C.long(c1))
}
