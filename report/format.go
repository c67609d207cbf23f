package report

import (
	"fmt"
	"strconv"
)

// absent is shown for a value that is missing or undefined.
const absent = "-"

// formatFixed formats *p with prec decimals, or absent for nil.
func formatFixed(p *float64, prec int) string {
	if p == nil {
		return absent
	}
	return strconv.FormatFloat(*p, 'f', prec, 64)
}

// formatGeneral formats *p with 4 significant digits, or absent for nil.
func formatGeneral(p *float64) string {
	if p == nil {
		return absent
	}
	return strconv.FormatFloat(*p, 'g', 4, 64)
}

// formatBytes formats a size with binary units ("1.5 MiB"), absent for ≤ 0.
func formatBytes(n int64) string {
	if n <= 0 {
		return absent
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, exp := float64(n)/unit, 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[exp])
}

// formatCount formats a positive count, absent for ≤ 0.
func formatCount(n int) string {
	if n <= 0 {
		return absent
	}
	return strconv.Itoa(n)
}

// formatText returns s, or absent when empty.
func formatText(s string) string {
	if s == "" {
		return absent
	}
	return s
}

// formatP formats a p-value: 4 decimals, "<0.0001" below that.
func formatP(p float64) string {
	if p < 0.0001 {
		return "<0.0001"
	}
	return strconv.FormatFloat(p, 'f', 4, 64)
}
