package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// MaxSim is ColBERT's late-interaction score of query b against document
// Offset+b: every query token is matched to its most similar document token.
//
// Inputs: Q [Bq·Lq, D], qmask [Bq, Lq], Dd [Bd·Ld, D], dmask [Bd, Ld] with
// Offset+Bq ≤ Bd. Masks hold 1 for tokens that take part (query tokens that
// score; document tokens that are neither padding nor skipped punctuation)
// and 0 otherwise. Output: s [Bq].
//
// Forward, with doc c = Offset+b:
//
//	s_b = Σ_{i: qmask_bi=1} max_{j: dmask_cj=1} q_bi·d_cj
//
// A query token with no document token to match adds 0. The argmax j*(b,i)
// is saved.
//
// Backward, given ds (only the argmax pairs receive gradient):
//
//	dq_bi = ds_b·d_(c,j*),  dd_(c,j*) += ds_b·q_bi
type MaxSim struct {
	Offset int

	argmax []int // [Bq·Lq], −1 where the token does not score
}

// NewMaxSim returns a MaxSim kernel pairing query b with document offset+b.
func NewMaxSim(offset int) *MaxSim { return &MaxSim{Offset: offset} }

func (m *MaxSim) Name() string    { return "MaxSim" }
func (m *MaxSim) DiffWRT() []bool { return []bool{true, false, true, false} }

func (m *MaxSim) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(m.Name(), in, 4); err != nil {
		return nil, err
	}
	qm, dm := in[1], in[3]
	if len(qm) != 2 {
		return nil, &ShapeError{Op: m.Name(), Input: "qmask", Got: qm, Want: "[Bq, Lq]"}
	}
	if len(dm) != 2 || m.Offset < 0 || m.Offset+qm[0] > dm[0] {
		return nil, &ShapeError{Op: m.Name(), Input: "dmask", Got: dm, Want: fmt.Sprintf("[Bd, Ld] with Bd ≥ %d", m.Offset+qm[0])}
	}
	q, d := in[0], in[2]
	if len(q) != 2 || q[0] != qm[0]*qm[1] {
		return nil, &ShapeError{Op: m.Name(), Input: "Q", Got: q, Want: fmt.Sprintf("[%d, D]", qm[0]*qm[1])}
	}
	if len(d) != 2 || d[0] != dm[0]*dm[1] || d[1] != q[1] {
		return nil, &ShapeError{Op: m.Name(), Input: "Dd", Got: d, Want: fmt.Sprintf("[%d, %d]", dm[0]*dm[1], q[1])}
	}
	return tensor.Shape{qm[0]}, nil
}

func (m *MaxSim) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return m.forward(in, train, nil)
}

func (m *MaxSim) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return m.backward(in, out, dOut, nil)
}

func (m *MaxSim) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := m.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	q, qm, d, dm := f32(in[0]), f32(in[1]), f32(in[2]), f32(in[3])
	Bq, Lq := in[1].Shape()[0], in[1].Shape()[1]
	Ld := in[3].Shape()[1]
	D := in[0].Shape()[1]
	out, s := mem.dense(false, Bq)
	argmax := make([]int, Bq*Lq)
	sims := mem.scratch(Bq, Lq*Ld)
	parallelFor(Bq, func(lo, hi int) {
		sim := sims(lo)
		for b := lo; b < hi; b++ {
			c := m.Offset + b
			sgemm(false, true, Lq, Ld, D, 1, q[b*Lq*D:], D, d[c*Ld*D:], D, 0, sim, Ld)
			var total float32
			for i := 0; i < Lq; i++ {
				argmax[b*Lq+i] = -1
				if qm[b*Lq+i] == 0 {
					continue
				}
				best, arg := float32(math.Inf(-1)), -1
				for j, v := range sim[i*Ld : (i+1)*Ld] {
					if dm[c*Ld+j] != 0 && v > best {
						best, arg = v, j
					}
				}
				if arg >= 0 {
					argmax[b*Lq+i] = c*Ld + arg
					total += best
				}
			}
			s[b] = total
		}
	})
	if train {
		m.argmax = argmax
	}
	return out, nil
}

func (m *MaxSim) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	if m.argmax == nil {
		return nil, ErrNoForward
	}
	q, d, ds := f32(in[0]), f32(in[2]), f32(dOut)
	Lq := in[1].Shape()[1]
	D := in[0].Shape()[1]
	dqT, dq := mem.dense(true, in[0].Shape()...)
	ddT, dd := mem.dense(true, in[2].Shape()...)
	for r, j := range m.argmax {
		if j < 0 {
			continue
		}
		g := ds[r/Lq]
		axpy(g, d[j*D:(j+1)*D], dq[r*D:(r+1)*D])
		axpy(g, q[r*D:(r+1)*D], dd[j*D:(j+1)*D])
	}
	m.argmax = nil
	return []*tensor.Dense{dqT, nil, ddT, nil}, nil
}
