// Package half converts IEEE 754 half-precision (binary16) values, as
// safetensors F16 weights and float16 ONNX outputs store them, to float32.
package half

import "math"

// ToFloat32 widens a binary16 value exactly (every half is a float32).
//
// Special cases:
//
//	subnormals (exponent 0): frac·2⁻²⁴
//	±Inf and NaN keep their sign and payload
func ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign)
	}
	v := float32(frac) * (1.0 / (1 << 24)) // subnormal
	if sign != 0 {
		v = -v
	}
	return v
}
