package losses

import (
	"errors"
	"math"
	"testing"
)

func TestFLOPSScheduleLambda(t *testing.T) {
	s := FLOPSSchedule{LambdaQ: 0.5, LambdaD: 0.4, WarmupSteps: 100}
	cases := []struct {
		step   int
		q, d   float64
		reason string
	}{
		{0, 0, 0, "before the first step"},
		{1, 0.5e-4, 0.4e-4, "λ·(1/100)²"},
		{50, 0.125, 0.1, "λ·(1/2)² = λ/4"},
		{100, 0.5, 0.4, "end of warm-up"},
		{1000, 0.5, 0.4, "constant after warm-up"},
	}
	for _, c := range cases {
		q, d := s.Lambda(c.step)
		if math.Abs(q-c.q) > 1e-15 || math.Abs(d-c.d) > 1e-15 {
			t.Errorf("Lambda(%d) = (%g, %g), want (%g, %g): %s", c.step, q, d, c.q, c.d, c.reason)
		}
	}
	q, d := FLOPSSchedule{LambdaQ: 3e-4, LambdaD: 1e-4}.Lambda(0)
	if q != 3e-4 || d != 1e-4 {
		t.Errorf("no warm-up: Lambda(0) = (%g, %g), want (3e-4, 1e-4)", q, d)
	}
	if got := SPLADEMaxSchedule(); got != (FLOPSSchedule{3e-4, 1e-4, 50000}) {
		t.Errorf("SPLADEMaxSchedule() = %v", got)
	}
	if DefaultFLOPSSchedule() != SPLADEPlusPlusSchedule() {
		t.Errorf("DefaultFLOPSSchedule() = %v", DefaultFLOPSSchedule())
	}
}

func TestFLOPSScheduleValidate(t *testing.T) {
	var pe *ParamError
	for _, s := range []FLOPSSchedule{{LambdaQ: -1}, {LambdaD: math.NaN()}, {LambdaQ: math.Inf(1)}, {WarmupSteps: -1}} {
		if err := s.Validate(); !errors.As(err, &pe) {
			t.Errorf("%v: Validate() = %v, want *ParamError", s, err)
		}
	}
	for _, s := range []FLOPSSchedule{{}, SPLADEMaxSchedule(), SPLADEPlusPlusSchedule()} {
		if err := s.Validate(); err != nil {
			t.Errorf("%v: Validate() = %v", s, err)
		}
	}
}
