package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// Attention is fused multi-head scaled dot-product self-attention with a
// key padding mask, BERT's attention core between the Q/K/V projections and
// the output projection.
//
// Inputs: Q, K, V [B·S, H] (rows ordered batch-major), mask [B, S] with 1
// for real tokens and 0 for padding. Output: context [B·S, H]. Head h uses
// columns h·d … (h+1)·d−1, d = H/Heads.
//
// Forward, per sequence b and head h (Q_h, K_h, V_h are [S, d] blocks):
//
//	A = Q_h·K_hᵀ/√d + M,  M_ij = 0 if mask_bj = 1 else −∞
//	P = softmax_rows(A)
//	C_h = P·V_h
//
// Backward, given dC_h (P saved by the forward pass):
//
//	dP  = dC_h·V_hᵀ
//	dV_h = Pᵀ·dC_h
//	dA_ij = P_ij·(dP_ij − Σ_k P_ik·dP_ik)
//	dQ_h = dA·K_h/√d,  dK_h = dAᵀ·Q_h/√d
//
// Padded keys get probability exactly 0; padded query rows are computed like
// any other (their outputs are ignored downstream).
type Attention struct {
	Heads int

	probs []float32 // [B, Heads, S, S]
}

// NewAttention returns an Attention kernel with the given number of heads.
func NewAttention(heads int) *Attention { return &Attention{Heads: heads} }

func (a *Attention) Name() string    { return "Attention" }
func (a *Attention) DiffWRT() []bool { return []bool{true, true, true, false} }

func (a *Attention) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(a.Name(), in, 4); err != nil {
		return nil, err
	}
	m := in[3]
	if len(m) != 2 {
		return nil, &ShapeError{Op: a.Name(), Input: "mask", Got: m, Want: "[B, S]"}
	}
	want := tensor.Shape{m[0] * m[1], 0}
	for i, name := range []string{"Q", "K", "V"} {
		s := in[i]
		if len(s) != 2 || s[0] != want[0] || (i > 0 && s[1] != in[0][1]) {
			return nil, &ShapeError{Op: a.Name(), Input: name, Got: s, Want: fmt.Sprintf("[%d, H]", want[0])}
		}
	}
	if a.Heads <= 0 || in[0][1]%a.Heads != 0 {
		return nil, fmt.Errorf("nn: Attention: hidden size %d is not a multiple of %d heads", in[0][1], a.Heads)
	}
	return in[0].Clone(), nil
}

func (a *Attention) dims(in []*tensor.Dense) (b, s, h, d int) {
	m := in[3].Shape()
	b, s, h = m[0], m[1], in[0].Shape()[1]
	return b, s, h, h / a.Heads
}

func (a *Attention) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return a.forward(in, train, nil)
}

func (a *Attention) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return a.backward(in, out, dOut, nil)
}

func (a *Attention) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := a.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	B, S, H, d := a.dims(in)
	q, k, v, mask := f32(in[0]), f32(in[1]), f32(in[2]), f32(in[3])
	scale := float32(1 / math.Sqrt(float64(d)))
	out, c := mem.dense(false, B*S, H)
	var probs []float32 // [B, Heads, S, S]
	if train {
		probs = mem.floats(B*a.Heads*S*S, false)
	}
	parallelFor(B*a.Heads, func(lo, hi int) {
		var scratch []float32
		if probs == nil {
			scratch = make([]float32, S*S)
		}
		for task := lo; task < hi; task++ {
			b, h := task/a.Heads, task%a.Heads
			off := b*S*H + h*d
			p := scratch
			if probs != nil {
				p = probs[task*S*S : (task+1)*S*S]
			}
			sgemm(false, true, S, S, d, scale, q[off:], H, k[off:], H, 0, p, S)
			softmaxRows(p, S, mask[b*S:(b+1)*S])
			sgemm(false, false, S, d, S, 1, p, S, v[off:], H, 0, c[off:], H)
		}
	})
	if train {
		a.probs = probs
	}
	return out, nil
}

// softmaxRows is softmaxMasked and softmaxGradRows is softmaxGradRowsGo;
// where the CPU has AVX2, the cgo build replaces them with the same
// arithmetic in C, vectorised (elementwise_openblas.go), and the pure-Go
// build with the same in Go assembly (softmax_amd64.s).
var (
	softmaxRows     = softmaxMasked
	softmaxGradRows = softmaxGradRowsGo
)

// softmaxMasked replaces each row of the S×S matrix p by its softmax over
// the columns j with keep[j] ≠ 0, and 0 elsewhere. The sum of each row is
// laneSum's, so that the C loop can keep eight lanes of it.
func softmaxMasked(p []float32, S int, keep []float32) {
	keep = keep[:S]
	for i := 0; i < S; i++ {
		row := p[i*S : (i+1)*S]
		mx := float32(math.Inf(-1))
		for j, x := range row {
			if keep[j] != 0 && x > mx {
				mx = x
			}
		}
		for j, x := range row {
			row[j] = 0
			if keep[j] != 0 {
				row[j] = exp32(x - mx)
			}
		}
		if sum := laneSum(row); sum > 0 {
			inv := 1 / sum
			for j := range row {
				row[j] *= inv
			}
		}
	}
}

// softmaxGradRowsGo sets each row of the S×S matrix dp to the softmax
// gradient P⊙(dP − rowsum(P⊙dP)) given the probabilities p, the row sums
// as laneDot's.
func softmaxGradRowsGo(dp, p []float32, S int) {
	for i := 0; i < S; i++ {
		pr, dr := p[i*S:(i+1)*S], dp[i*S:(i+1)*S]
		s := laneDot(pr, dr)
		for j := range dr {
			dr[j] = pr[j] * (dr[j] - s)
		}
	}
}

// laneSum returns Σ x_i added as the eight-lane vector loops of the cgo
// build add: x_i into partial i mod lanes, in order, then the partials as
// sum8 adds them.
func laneSum(x []float32) float32 {
	var l [lanes]float32
	i := 0
	for ; i+lanes <= len(x); i += lanes {
		v := x[i : i+lanes : i+lanes]
		l[0], l[1], l[2], l[3] = l[0]+v[0], l[1]+v[1], l[2]+v[2], l[3]+v[3]
		l[4], l[5], l[6], l[7] = l[4]+v[4], l[5]+v[5], l[6]+v[6], l[7]+v[7]
	}
	for ; i < len(x); i++ {
		l[i%lanes] += x[i]
	}
	return sum8(&l)
}

// laneDot returns Σ x_i·y_i for equal-length slices, the products added
// as laneSum adds.
func laneDot(x, y []float32) float32 {
	y = y[:len(x)]
	var l [lanes]float32
	i := 0
	for ; i+lanes <= len(x); i += lanes {
		u, v := x[i:i+lanes:i+lanes], y[i:i+lanes:i+lanes]
		// float32(u·v): no FMA (fastmath.go).
		l[0], l[1] = l[0]+float32(u[0]*v[0]), l[1]+float32(u[1]*v[1])
		l[2], l[3] = l[2]+float32(u[2]*v[2]), l[3]+float32(u[3]*v[3])
		l[4], l[5] = l[4]+float32(u[4]*v[4]), l[5]+float32(u[5]*v[5])
		l[6], l[7] = l[6]+float32(u[6]*v[6]), l[7]+float32(u[7]*v[7])
	}
	for ; i < len(x); i++ {
		l[i%lanes] += float32(x[i] * y[i])
	}
	return sum8(&l)
}

func (a *Attention) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	if a.probs == nil {
		return nil, ErrNoForward
	}
	B, S, H, d := a.dims(in)
	q, k, v, dc := f32(in[0]), f32(in[1]), f32(in[2]), f32(dOut)
	scale := float32(1 / math.Sqrt(float64(d)))
	dqT, dq := mem.dense(false, B*S, H)
	dkT, dk := mem.dense(false, B*S, H)
	dvT, dv := mem.dense(false, B*S, H)
	dps := mem.scratch(B*a.Heads, S*S)
	parallelFor(B*a.Heads, func(lo, hi int) {
		dp := dps(lo)
		for task := lo; task < hi; task++ {
			b, h := task/a.Heads, task%a.Heads
			off := b*S*H + h*d
			p := a.probs[task*S*S : (task+1)*S*S]
			sgemm(false, true, S, S, d, 1, dc[off:], H, v[off:], H, 0, dp, S)
			sgemm(true, false, S, d, S, 1, p, S, dc[off:], H, 0, dv[off:], H)
			softmaxGradRows(dp, p, S)
			sgemm(false, false, S, d, S, scale, dp, S, k[off:], H, 0, dq[off:], H)
			sgemm(true, false, S, d, S, scale, dp, S, q[off:], H, 0, dk[off:], H)
		}
	})
	a.probs = nil
	return []*tensor.Dense{dqT, dkT, dvT, nil}, nil
}
