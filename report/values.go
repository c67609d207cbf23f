package report

import (
	"math"
	"strconv"
)

// optional returns &v, or nil when v is NaN or infinite (undefined).
func optional(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// finiteOrNil copies *p, or returns nil when p is nil or not finite.
func finiteOrNil(p *float64) *float64 {
	if p == nil {
		return nil
	}
	return optional(*p)
}

// meanOf returns the mean of xs, or nil when xs is empty.
func meanOf(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return optional(sum / float64(len(xs)))
}

func itoa(i int) string { return strconv.Itoa(i) }

func nan() float64 { return math.NaN() }
