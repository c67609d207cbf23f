package losses

import (
	"fmt"
	"math"
)

// FLOPSSchedule holds the weights of SPLADE's FLOPS regularisers and their
// warm-up. The total SPLADE objective at optimizer step t is
//
//	L_t = L_rank + λ_q(t)·FLOPS(w_queries) + λ_d(t)·FLOPS(w_documents)
//	λ(t) = λ · min(1, t/T)²
//
// a quadratic ramp from 0 over the first T steps, as in Paria et al. 2020 and
// naver/splade's RegWeightScheduler (which counts steps from 1: the first
// optimizer step uses λ·(1/T)²). Without the ramp, the regulariser collapses
// the representations to zero before the ranking loss has shaped them.
//
// The zero value disables regularisation. Reference settings from the
// naver/splade configurations (T = 50 000 steps of 128 triplets there; scale T
// with the number of steps of a distill run):
//
//	SPLADEMaxSchedule        λ_q = 3e-4, λ_d = 1e-4   conf/config_splade++_max.yaml (SPLADE v2 max, InBatchPairwiseNLL)
//	SPLADEPlusPlusSchedule   λ_q = 0.5,  λ_d = 0.4    conf/config_splade++_*distil.yaml (DistilMarginMSE)
//
// The weights depend on the ranking loss's scale: Margin-MSE on cross-encoder
// margins is orders of magnitude larger than a pairwise NLL, hence the larger
// λ of the distilled SPLADE++ models. DefaultFLOPSSchedule is therefore the
// SPLADE++ one, matching distill's default MarginMSE loss.
type FLOPSSchedule struct {
	LambdaQ     float64 // final weight of the query FLOPS term, ≥ 0
	LambdaD     float64 // final weight of the document FLOPS term, ≥ 0
	WarmupSteps int     // T: steps of the quadratic ramp; 0 applies the final weights at once
}

// SPLADEMaxSchedule returns naver/splade's SPLADE-max (SPLADE v2) weights:
// λ_q = 3e-4, λ_d = 1e-4, T = 50 000, tuned for a pairwise NLL ranking loss.
func SPLADEMaxSchedule() FLOPSSchedule {
	return FLOPSSchedule{LambdaQ: 3e-4, LambdaD: 1e-4, WarmupSteps: 50000}
}

// SPLADEPlusPlusSchedule returns naver/splade's SPLADE++ distillation weights:
// λ_q = 0.5, λ_d = 0.4, T = 50 000, tuned for Margin-MSE against a
// cross-encoder teacher.
func SPLADEPlusPlusSchedule() FLOPSSchedule {
	return FLOPSSchedule{LambdaQ: 0.5, LambdaD: 0.4, WarmupSteps: 50000}
}

// DefaultFLOPSSchedule returns SPLADEPlusPlusSchedule, the reference for the
// default MarginMSE loss. distill's trainer defaults to a tenth of its
// weights (training.DefaultLambdaQ), which keep its short runs from
// collapsing every vector to zero.
func DefaultFLOPSSchedule() FLOPSSchedule { return SPLADEPlusPlusSchedule() }

// Validate reports a negative or non-finite weight or a negative warm-up.
func (s FLOPSSchedule) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"LambdaQ", s.LambdaQ}, {"LambdaD", s.LambdaD}} {
		if !(p.v >= 0) || math.IsInf(p.v, 1) {
			return &ParamError{Loss: "FLOPSSchedule", Param: p.name, Value: p.v, Want: "a finite weight ≥ 0"}
		}
	}
	if s.WarmupSteps < 0 {
		return &ParamError{Loss: "FLOPSSchedule", Param: "WarmupSteps", Value: float64(s.WarmupSteps), Want: "≥ 0"}
	}
	return nil
}

// Lambda returns the weights to use at optimizer step t (counted from 1;
// t ≤ 0 gives 0 during a warm-up):
//
//	λ_q(t) = LambdaQ · min(1, t/T)²,  λ_d(t) = LambdaD · min(1, t/T)²
func (s FLOPSSchedule) Lambda(step int) (lambdaQ, lambdaD float64) {
	f := s.ramp(step)
	return s.LambdaQ * f, s.LambdaD * f
}

func (s FLOPSSchedule) ramp(step int) float64 {
	if s.WarmupSteps <= 0 {
		return 1
	}
	if step <= 0 {
		return 0
	}
	r := math.Min(1, float64(step)/float64(s.WarmupSteps))
	return r * r
}

// String formats the schedule for logs and checkpoint configs.
func (s FLOPSSchedule) String() string {
	return fmt.Sprintf("FLOPS(λ_q=%g, λ_d=%g, warmup=%d steps)", s.LambdaQ, s.LambdaD, s.WarmupSteps)
}
