package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// GatherRows picks rows of a matrix: out_m = x_{idx_m}. Masked-language-model
// training gathers the hidden states of the masked positions with it, so
// that the vocabulary head runs on those rows only.
//
// Inputs: x [N, H], idx [M] (int, 0 ≤ idx_m < N; repeats allowed).
// Output: [M, H].
//
// Backward, given dy: dx_{idx_m} += dy_m (a scatter-add; rows never picked
// get 0).
type GatherRows struct{}

// NewGatherRows returns a GatherRows kernel.
func NewGatherRows() *GatherRows { return &GatherRows{} }

func (GatherRows) Name() string    { return "GatherRows" }
func (GatherRows) DiffWRT() []bool { return []bool{true, false} }

func (g GatherRows) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(g.Name(), in, 2); err != nil {
		return nil, err
	}
	if len(in[0]) != 2 {
		return nil, &ShapeError{Op: g.Name(), Input: "x", Got: in[0], Want: "[N, H]"}
	}
	if len(in[1]) != 1 {
		return nil, &ShapeError{Op: g.Name(), Input: "idx", Got: in[1], Want: "[M]"}
	}
	return tensor.Shape{in[1][0], in[0][1]}, nil
}

func (g GatherRows) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	if _, err := g.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	x := f32(in[0])
	idx, err := ints(in[1])
	if err != nil {
		return nil, err
	}
	N, H := in[0].Shape()[0], in[0].Shape()[1]
	out, y := newF32(len(idx), H)
	for m, r := range idx {
		if r < 0 || r >= N {
			return nil, fmt.Errorf("nn: %s: index %d at %d is outside [0, %d)", g.Name(), r, m, N)
		}
		copy(y[m*H:(m+1)*H], x[r*H:(r+1)*H])
	}
	return out, nil
}

func (g GatherRows) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	idx, err := ints(in[1])
	if err != nil {
		return nil, err
	}
	H := in[0].Shape()[1]
	dxT, dx := newF32(in[0].Shape()...)
	dy := f32(dOut)
	for m, r := range idx {
		axpy(1, dy[m*H:(m+1)*H], dx[r*H:(r+1)*H])
	}
	return []*tensor.Dense{dxT, nil}, nil
}

// MLMCrossEntropy is BERT's masked-language-model loss fused with its
// vocabulary projection: the decoder logits, a numerically stable softmax
// and the cross-entropy against the original tokens, for the gathered
// masked positions only (never the whole [batch × tokens × vocabulary]).
//
// Inputs: h [M, H] (hidden states of the masked positions after the MLM
// transform and LayerNorm), E [V, H] (decoder weight, tied to the word
// embeddings), c [V] (decoder bias, cls.predictions.bias), targets [M]
// (int: the original token id, or −1 for an unused slot, like PyTorch's
// ignore_index). Output: ℓ [M], the per-slot losses already divided by
// the number n of used slots, so Σ_m ℓ_m is the mean cross-entropy
// (torch.nn.functional.cross_entropy with reduction "mean"); unused slots
// give 0, and with n = 0 everything is 0.
//
// Forward, for each used slot m with target t_m:
//
//	z_m = E·h_m + c                      (one GEMM, rows×V×H)
//	ℓ_m = (logsumexp_j z_mj − z_m,t_m) / n
//
// Backward, given dℓ, with p_m = softmax(z_m) saved by the forward pass:
//
//	dz_m = dℓ_m/n · (p_m − onehot(t_m))  (0 for unused slots)
//	dh   = dz·E,   dE = dzᵀ·h,   dc = Σ_m dz_m
//
// Only the rows up to the last used slot enter the products: a batch
// builder that puts its used slots first pays for them alone.
type MLMCrossEntropy struct {
	p    []float32 // softmax of the last training forward, [rows, V]
	rows int
}

// NewMLMCrossEntropy returns an MLMCrossEntropy kernel.
func NewMLMCrossEntropy() *MLMCrossEntropy { return &MLMCrossEntropy{} }

func (*MLMCrossEntropy) Name() string    { return "MLMCrossEntropy" }
func (*MLMCrossEntropy) DiffWRT() []bool { return []bool{true, true, true, false} }

func (k *MLMCrossEntropy) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(k.Name(), in, 4); err != nil {
		return nil, err
	}
	h, e, c, t := in[0], in[1], in[2], in[3]
	if len(h) != 2 {
		return nil, &ShapeError{Op: k.Name(), Input: "h", Got: h, Want: "[M, H]"}
	}
	if len(e) != 2 || e[1] != h[1] {
		return nil, &ShapeError{Op: k.Name(), Input: "E", Got: e, Want: fmt.Sprintf("[V, %d]", h[1])}
	}
	if len(c) != 1 || c[0] != e[0] {
		return nil, &ShapeError{Op: k.Name(), Input: "c", Got: c, Want: fmt.Sprintf("[%d]", e[0])}
	}
	if len(t) != 1 || t[0] != h[0] {
		return nil, &ShapeError{Op: k.Name(), Input: "targets", Got: t, Want: fmt.Sprintf("[%d]", h[0])}
	}
	return tensor.Shape{h[0]}, nil
}

// sizes returns the targets, the slots M, the width H, the vocabulary V,
// the number n of used slots and the rows up to the last one.
func (k *MLMCrossEntropy) sizes(in []*tensor.Dense) (targets []int, M, H, V, n, rows int, err error) {
	if targets, err = ints(in[3]); err != nil {
		return nil, 0, 0, 0, 0, 0, err
	}
	M, H, V = in[0].Shape()[0], in[0].Shape()[1], in[1].Shape()[0]
	n, rows, err = k.used(targets, V)
	return targets, M, H, V, n, rows, err
}

// used returns the number of used slots and the rows up to the last one.
func (k *MLMCrossEntropy) used(targets []int, V int) (n, rows int, err error) {
	for m, t := range targets {
		switch {
		case t == -1:
		case t < 0 || t >= V:
			return 0, 0, fmt.Errorf("nn: %s: target %d at slot %d is outside the vocabulary [0, %d) (−1 marks an unused slot)", k.Name(), t, m, V)
		default:
			n, rows = n+1, m+1
		}
	}
	return n, rows, nil
}

func (k *MLMCrossEntropy) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return k.forward(in, train, nil)
}

func (k *MLMCrossEntropy) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return k.backward(in, out, dOut, nil)
}

func (k *MLMCrossEntropy) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := k.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	h, e, c := f32(in[0]), f32(in[1]), f32(in[2])
	targets, M, H, V, n, rows, err := k.sizes(in)
	if err != nil {
		return nil, err
	}
	out, loss := mem.dense(true, M) // unused slots stay 0
	var z []float32
	if train { // keep the softmax for Backward, in a buffer reused across steps
		if cap(k.p) < rows*V {
			k.p = make([]float32, rows*V)
		}
		z, k.rows = k.p[:rows*V], rows
	} else {
		z = make([]float32, rows*V)
	}
	if rows == 0 {
		return out, nil
	}
	parallelFor(rows, func(lo, hi int) {
		for m := lo; m < hi; m++ {
			copy(z[m*V:(m+1)*V], c)
		}
	})
	sgemmLarge(false, true, rows, V, H, 1, h, H, e, H, 1, z, V)
	inv := 1 / float64(n)
	parallelFor(rows, func(lo, hi int) {
		for m := lo; m < hi; m++ {
			if targets[m] < 0 {
				continue
			}
			row := z[m*V : (m+1)*V]
			zt := row[targets[m]]
			lse := softmaxInPlace(row)
			loss[m] = float32((lse - float64(zt)) * inv)
		}
	})
	return out, nil
}

// softmaxInPlace replaces row by its softmax and returns its logsumexp.
func softmaxInPlace(row []float32) float64 {
	mx := row[0]
	for _, v := range row {
		if v > mx {
			mx = v
		}
	}
	var sum float64
	for j, v := range row {
		ev := exp32(v - mx)
		row[j] = ev
		sum += float64(ev)
	}
	s := float32(1 / sum)
	for j := range row {
		row[j] *= s
	}
	return float64(mx) + math.Log(sum)
}

func (k *MLMCrossEntropy) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	h, e := f32(in[0]), f32(in[1])
	targets, M, H, V, n, rows, err := k.sizes(in)
	if err != nil {
		return nil, err
	}
	if rows != k.rows {
		return nil, ErrNoForward
	}
	// The products (β = 0) and the row sum overwrite dE and dc, and the
	// first rows of dh; the slots after the last used one keep dh at 0.
	dhT, dh := mem.dense(true, M, H)
	deT, de := mem.dense(rows == 0, V, H)
	dcT, dc := mem.dense(rows == 0, V)
	if rows == 0 {
		return []*tensor.Dense{dhT, deT, dcT, nil}, nil
	}
	dl := f32(dOut)
	dz := k.p[:rows*V] // the softmax becomes the logits' gradient in place
	inv := 1 / float32(n)
	parallelFor(rows, func(lo, hi int) {
		for m := lo; m < hi; m++ {
			row := dz[m*V : (m+1)*V]
			if targets[m] < 0 {
				clear(row)
				continue
			}
			row[targets[m]]--
			g := dl[m] * inv
			for j := range row {
				row[j] *= g
			}
		}
	})
	k.rows = -1 // the saved softmax is spent
	sgemmLarge(false, false, rows, H, V, 1, dz, V, e, H, 0, dh, H)
	sgemmLarge(true, false, V, H, rows, 1, dz, V, h, H, 0, de, H)
	sumRowsInto(dc, dz, mem)
	return []*tensor.Dense{dhT, deT, dcT, nil}, nil
}
