//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#include <immintrin.h>
#include <stdint.h>

// spladeMaxRowsGo of splade.go in C for the cgo (openblas) build: the
// maximum of each row of logits eight lanes at a time, then the first
// position holding it, which is the position the Go scan keeps (it only
// moves on a strictly larger value). MAXPS returns its second operand when
// the first is NaN, so a NaN logit never wins, as in Go; masked positions
// count as −∞. The sum with the bias is the same float32 addition.
#pragma GCC optimize ("O3", "fp-contract=off")

__attribute__((target("avx2")))
static void distill_splade_max_rows(const float *z, long ldz, long T, const float *mask,
		const float *c, float *w, int32_t *arg, long n) {
	const __m256 ninf = _mm256_set1_ps(-__builtin_inff()), zero = _mm256_setzero_ps();
	for (long j = 0; j < n; j++) {
		const float *row = z + j*ldz;
		__m256 acc = ninf;
		long t = 0;
		if (mask) {
			for (; t + 8 <= T; t += 8) {
				__m256 real = _mm256_cmp_ps(_mm256_loadu_ps(mask + t), zero, _CMP_NEQ_UQ);
				acc = _mm256_max_ps(_mm256_blendv_ps(ninf, _mm256_loadu_ps(row + t), real), acc);
			}
		} else {
			for (; t + 8 <= T; t += 8) {
				acc = _mm256_max_ps(_mm256_loadu_ps(row + t), acc);
			}
		}
		float lanes[8], best = -__builtin_inff();
		_mm256_storeu_ps(lanes, acc);
		for (int l = 0; l < 8; l++) {
			best = lanes[l] > best ? lanes[l] : best;
		}
		for (; t < T; t++) {
			if ((!mask || mask[t] != 0) && row[t] > best) {
				best = row[t];
			}
		}
		long at = -1;
		if (best > -__builtin_inff()) {
			for (long u = 0; u < T; u++) {
				if ((!mask || mask[u] != 0) && row[u] == best) {
					at = u;
					break;
				}
			}
		}
		float v = at < 0 ? 0 : row[at] + c[j];
		if (at < 0 || v <= 0) {
			arg[j] = -1;
			w[j] = 0;
			continue;
		}
		arg[j] = (int32_t)at;
		w[j] = v;
	}
}

// spladeScatterEGo and spladeScatterHGo of splade.go: y += a·x rows as
// a product, then a sum (no FMA: the target has none, and contraction is
// off), eight lanes at a time.
__attribute__((target("avx2")))
static inline void distill_axpy(float a, const float *restrict x, float *restrict y, long n) {
	const __m256 va = _mm256_set1_ps(a);
	long i = 0;
	for (; i + 8 <= n; i += 8) {
		_mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_mul_ps(va, _mm256_loadu_ps(x + i))));
	}
	for (; i < n; i++) {
		y[i] = y[i] + a * x[i];
	}
}

__attribute__((target("avx2")))
static void distill_splade_scatter_e(const float *h, const float *g, const int32_t *argmax, float *de, float *dc,
		long V, long B, long T, long H, long j0, long j1) {
	for (long j = j0; j < j1; j++) {
		for (long b = 0; b < B; b++) {
			long k = b*V + j;
			int32_t t = argmax[k];
			if (t >= 0) {
				distill_axpy(g[k], h + (b*T + t)*H, de + j*H, H);
				dc[j] += g[k];
			}
		}
	}
}

__attribute__((target("avx2")))
static void distill_splade_scatter_h(const float *e, const float *g, const int32_t *argmax, float *dh,
		long V, long T, long H, long tile, long b0, long b1) {
	for (long j0 = 0; j0 < V; j0 += tile) {
		long j1 = j0 + tile < V ? j0 + tile : V;
		for (long b = b0; b < b1; b++) {
			for (long j = j0; j < j1; j++) {
				long k = b*V + j;
				int32_t t = argmax[k];
				if (t >= 0) {
					distill_axpy(g[k], e + j*H, dh + (b*T + t)*H, H);
				}
			}
		}
	}
}
*/
import "C"

func init() {
	if haveAVX2 {
		spladeMaxRows = spladeMaxRowsC
		spladeScatterE, spladeScatterH = spladeScatterEC, spladeScatterHC
	}
}

// spladeScatterEC is spladeScatterEGo in C (AVX2).
func spladeScatterEC(h, g []float32, argmax []int32, de, dc []float32, V, T, H, j0, j1 int) {
	B := len(argmax) / V
	if j0 >= j1 || B == 0 || H == 0 {
		return
	}
	_, _, _, _ = h[B*T*H-1], g[B*V-1], de[j1*H-1], dc[j1-1]
	C.distill_splade_scatter_e(cfloats(h), cfloats(g),
		cint32s(argmax), cfloats(de), cfloats(dc),
		C.long(V), C.long(B), C.long(T), C.long(H), C.long(j0), C.long(j1))
}

// spladeScatterHC is spladeScatterHGo in C (AVX2).
func spladeScatterHC(e, g []float32, argmax []int32, dh []float32, V, T, H, tile, b0, b1 int) {
	if b0 >= b1 || V == 0 || H == 0 {
		return
	}
	_, _, _, _ = e[V*H-1], g[b1*V-1], argmax[b1*V-1], dh[b1*T*H-1]
	C.distill_splade_scatter_h(cfloats(e), cfloats(g),
		cint32s(argmax), cfloats(dh),
		C.long(V), C.long(T), C.long(H), C.long(tile), C.long(b0), C.long(b1))
}

// spladeMaxRowsC is spladeMaxRowsGo in C (AVX2).
func spladeMaxRowsC(z []float32, ldz, T int, mask, c, w []float32, arg []int32) {
	n := len(c)
	if n == 0 || T == 0 {
		spladeMaxRowsGo(z, ldz, T, mask, c, w, arg)
		return
	}
	_ = z[(n-1)*ldz+T-1]
	_, _ = w[n-1], arg[n-1]
	if mask != nil {
		_ = mask[T-1]
	}
	C.distill_splade_max_rows(cfloats(z), C.long(ldz), C.long(T), cfloats(mask),
		cfloats(c), cfloats(w), cint32s(arg), C.long(n))
}
