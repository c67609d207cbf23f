package training

import "math"

// A run is not learning when, over stallSteps steps, its loss moves by less
// than stallLossChange of its value while the global gradient norm stays
// under stallGradNorm: the updates are too small to change anything (a
// learning rate far too low, or a model whose output does not depend on its
// input, such as a cross-encoder stuck at loss ln 2 with gradient norm 8e-5).
const (
	stallSteps      = 20
	stallLossChange = 0.01
	stallGradNorm   = 1e-3
)

// stallDetector watches the training loss and gradient norm and reports,
// once, a run that is not learning.
type stallDetector struct {
	from     int     // first step of the current flat stretch
	loss     float64 // its loss
	maxGrad  float64 // largest gradient norm since from
	reported bool
}

// observe records a step and reports whether the run has just been found
// not learning: loss flat and gradient tiny for stallSteps steps.
func (d *stallDetector) observe(step int, loss, gradNorm float64) bool {
	if d.reported || math.IsNaN(loss) {
		return false
	}
	if d.from == 0 || math.Abs(loss-d.loss) > stallLossChange*math.Abs(d.loss)+1e-9 || gradNorm >= stallGradNorm {
		d.from, d.loss, d.maxGrad = step, loss, gradNorm
		return false
	}
	d.maxGrad = max(d.maxGrad, gradNorm)
	if step-d.from >= stallSteps {
		d.reported = true
		return true
	}
	return false
}
