package nn

import "gorgonia.org/tensor"

// An arena recycles the float32 buffers of one graph node's kernel from one
// run of the machine to the next: outputs, gradients and saved state.
//
// A buffer taken during a run (the node's forward pass and the backward
// pass that follows) stays untouched until the node's next forward pass,
// which starts a new run: everything the previous run handed out (its
// output, its input gradients, views of them) is stale from then on. Only
// the backing slices are kept; every tensor header is new, since gorgonia
// may return headers to its pool.
//
// A nil *arena allocates fresh zeroed memory each time, as the exported
// Forward and Backward of the kernels promise. An arena is not safe for
// concurrent use.
type arena struct {
	free map[int][][]float32 // by length, ready for this run
	used [][]float32         // taken during this run
}

// newRun makes every buffer of the previous run available again.
func (a *arena) newRun() {
	if a == nil {
		return
	}
	if a.free == nil {
		a.free = map[int][][]float32{}
	}
	for _, b := range a.used {
		a.free[len(b)] = append(a.free[len(b)], b)
	}
	a.used = a.used[:0]
}

// floats returns a slice of length n. Its contents are unspecified (the
// previous run's) unless zero is set or a is nil.
func (a *arena) floats(n int, zero bool) []float32 {
	if a == nil {
		return make([]float32, n)
	}
	var b []float32
	if list := a.free[n]; len(list) > 0 {
		b = list[len(list)-1]
		a.free[n] = list[:len(list)-1]
		if zero {
			clearParallel(b)
		}
	} else {
		b = make([]float32, n)
	}
	a.used = append(a.used, b)
	return b
}

// clearParallel zeroes b, on all CPUs when it is large (the SPLADE head's
// [V, H] gradient is 31 MB).
func clearParallel(b []float32) {
	const chunk = 1 << 16
	if len(b) < 2*chunk {
		clear(b)
		return
	}
	parallelFor((len(b)+chunk-1)/chunk, func(lo, hi int) {
		clear(b[lo*chunk : min(hi*chunk, len(b))])
	})
}

// scratch returns per-worker buffers of size floats for parallelFor(n, …):
// the worker of the chunk that starts at lo uses scratch(lo).
func (a *arena) scratch(n, size int) func(lo int) []float32 {
	workers, chunk := chunking(n)
	all := a.floats(workers*size, false)
	return func(lo int) []float32 {
		w := lo / chunk
		return all[w*size : (w+1)*size]
	}
}

// dense returns a float32 tensor of the given shape backed by floats.
func (a *arena) dense(zero bool, shape ...int) (*tensor.Dense, []float32) {
	n := 1
	for _, s := range shape {
		n *= s
	}
	data := a.floats(n, zero)
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data)), data
}

var (
	_ arenaKernel = (*Linear)(nil)
	_ arenaKernel = (*BiasGELU)(nil)
	_ arenaKernel = (*LayerNorm)(nil)
	_ arenaKernel = (*Attention)(nil)
	_ arenaKernel = (*L2Normalize)(nil)
	_ arenaKernel = (*MaxSim)(nil)
	_ arenaKernel = (*SpladeMax)(nil)
	_ arenaKernel = (*PairDot)(nil)
	_ arenaKernel = (*Dropout)(nil)
	_ arenaKernel = (*Embeddings)(nil)
	_ arenaKernel = (*MLMCrossEntropy)(nil)
)
