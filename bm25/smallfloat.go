package bm25

import "math/bits"

// numFreeValues is Lucene's SmallFloat.NUM_FREE_VALUES: 255 minus
// longToInt4(math.MaxInt32) = 255 - 231. Lengths below it are stored exactly.
const numFreeValues = 24

// IntToByte4 encodes a non-negative document length into one byte the way
// Lucene's SmallFloat.intToByte4 does for BM25 norms: lengths 0..23 exactly,
// larger ones as 24 plus a float with a 3-bit mantissa and implicit leading
// bit, rounding down. Negative lengths encode as 0.
//
//	IntToByte4(23) = 23   IntToByte4(100) = 57   IntToByte4(math.MaxInt32) = 255
func IntToByte4(n int) byte {
	if n < numFreeValues {
		return byte(max(n, 0))
	}
	return byte(numFreeValues + longToInt4(uint64(n-numFreeValues)))
}

// Byte4ToInt decodes a length encoded by IntToByte4 (SmallFloat.byte4ToInt).
// Byte4ToInt(IntToByte4(n)) is the largest representable length ≤ n:
//
//	Byte4ToInt(57) = 96 (100 rounds down to 96)   Byte4ToInt(255) = 2013265944
func Byte4ToInt(b byte) int {
	if b < numFreeValues {
		return int(b)
	}
	return numFreeValues + int(int4ToLong(int(b)-numFreeValues))
}

// longToInt4 is SmallFloat.longToInt4: a float-like encoding keeping the 4
// most significant bits; the shift, plus one, goes in the bits above 3.
func longToInt4(i uint64) int {
	numBits := bits.Len64(i)
	if numBits < 4 {
		return int(i) // subnormal
	}
	shift := numBits - 4
	encoded := int(i>>shift) & 0x07 // drop the implicit leading bit
	return encoded | (shift+1)<<3
}

// int4ToLong is SmallFloat.int4ToLong, the inverse of longToInt4.
func int4ToLong(i int) uint64 {
	mantissa := uint64(i & 0x07)
	shift := i>>3 - 1
	if shift == -1 {
		return mantissa // subnormal
	}
	return (mantissa | 0x08) << shift
}
