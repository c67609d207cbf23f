//go:build openblas

package nn

/*
#cgo CFLAGS: -O2
#include <immintrin.h>

// addRowsGo of blas.go in C with AVX2 for the cgo (openblas) build: each
// column's sum runs over the rows in order, eight columns at a time, so
// the bits are those of the Go loop (y + 1·x = y + x exactly). Row r
// starts at src + r·ld.
//
// Rows of up to ADD_ROWS_TILED columns (the bias gradients) are summed 32
// columns at a time down all rows, the sums in registers; wider rows (the
// MLM decoder's bias, 30,522 columns) row after row, which reads each row
// sequentially (by columns, each 32-column pass would touch a new page
// per row).
#define ADD_ROWS_TILED 2048

__attribute__((target("avx2")))
static void distill_add_rows(float *dst, const float *src, long rows, long m, long ld) {
	if (m > ADD_ROWS_TILED) {
		long mv = m & ~7L;
		for (long r = 0; r < rows; r++) {
			const float *s = src + r*ld;
			for (long j = 0; j < mv; j += 8) {
				_mm256_storeu_ps(dst + j, _mm256_add_ps(_mm256_loadu_ps(dst + j), _mm256_loadu_ps(s + j)));
			}
			for (long j = mv; j < m; j++) {
				dst[j] += s[j];
			}
		}
		return;
	}
	long mv = m & ~31L;
	for (long j = 0; j < mv; j += 32) {
		__m256 a0 = _mm256_loadu_ps(dst + j), a1 = _mm256_loadu_ps(dst + j + 8);
		__m256 a2 = _mm256_loadu_ps(dst + j + 16), a3 = _mm256_loadu_ps(dst + j + 24);
		for (long r = 0; r < rows; r++) {
			const float *s = src + r*ld + j;
			a0 = _mm256_add_ps(a0, _mm256_loadu_ps(s));
			a1 = _mm256_add_ps(a1, _mm256_loadu_ps(s + 8));
			a2 = _mm256_add_ps(a2, _mm256_loadu_ps(s + 16));
			a3 = _mm256_add_ps(a3, _mm256_loadu_ps(s + 24));
		}
		_mm256_storeu_ps(dst + j, a0);
		_mm256_storeu_ps(dst + j + 8, a1);
		_mm256_storeu_ps(dst + j + 16, a2);
		_mm256_storeu_ps(dst + j + 24, a3);
	}
	for (long j = mv; j < m; j++) {
		float a = dst[j];
		for (long r = 0; r < rows; r++) {
			a += src[r*ld + j];
		}
		dst[j] = a;
	}
}
*/
import "C"

func init() {
	if haveAVX2 {
		addRows = addRowsC
	}
}

// addRowsC is addRowsGo in C (AVX2).
func addRowsC(dst, src []float32, rows, ld int) {
	m := len(dst)
	if m == 0 || rows <= 0 {
		return
	}
	_ = src[(rows-1)*ld+m-1]
	C.distill_add_rows(cfloats(dst), cfloats(src), C.long(rows), C.long(m), C.long(ld))
}
