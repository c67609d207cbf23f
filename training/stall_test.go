package training

import (
	"math"
	"testing"
)

func TestStallDetector(t *testing.T) {
	for _, c := range []struct {
		name   string
		loss   func(step int) float64
		grad   float64
		report int // step at which it reports, 0: never
	}{
		{"flat at ln 2, tiny gradient", func(int) float64 { return math.Ln2 }, 8e-5, 21},
		{"flat loss, real gradient", func(int) float64 { return math.Ln2 }, 0.5, 0},
		{"falling loss, tiny gradient", func(s int) float64 { return 1 / float64(s) }, 8e-5, 0},
		{"learns, then stalls at step 30", func(s int) float64 { return math.Max(0.3, 1-float64(s)/40) }, 8e-5, 48},
	} {
		var d stallDetector
		got := 0
		for step := 1; step <= 100; step++ {
			if d.observe(step, c.loss(step), c.grad) {
				if got != 0 {
					t.Errorf("%s: reported twice", c.name)
				}
				got = step
			}
		}
		if got != c.report {
			t.Errorf("%s: reported at step %d, want %d", c.name, got, c.report)
		}
	}
}
