package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Embeddings sums BERT's word, position and token-type embeddings (all
// tokens use token type 0, as for single-segment ColBERT and SPLADE inputs).
//
// Inputs: ids [B, S] (int), E_word [V, H], E_pos [P, H] with P ≥ S,
// E_type [T, H]. Output: x [B·S, H].
//
// Forward:
//
//	x_(b,s) = E_word[ids_bs] + E_pos[s] + E_type[0]
//
// Backward, given dx (scatter-adds; repeated ids accumulate):
//
//	dE_word[ids_bs] += dx_(b,s),  dE_pos[s] += dx_(b,s),  dE_type[0] += dx_(b,s)
type Embeddings struct{}

// NewEmbeddings returns an Embeddings kernel.
func NewEmbeddings() *Embeddings { return &Embeddings{} }

func (*Embeddings) Name() string    { return "Embeddings" }
func (*Embeddings) DiffWRT() []bool { return []bool{false, true, true, true} }

func (e *Embeddings) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(e.Name(), in, 4); err != nil {
		return nil, err
	}
	ids := in[0]
	if len(ids) != 2 {
		return nil, &ShapeError{Op: e.Name(), Input: "ids", Got: ids, Want: "[B, S]"}
	}
	h := in[1][len(in[1])-1]
	for i, name := range []string{"E_word", "E_pos", "E_type"} {
		if s := in[i+1]; len(s) != 2 || s[1] != h {
			return nil, &ShapeError{Op: e.Name(), Input: name, Got: s, Want: fmt.Sprintf("[rows, %d]", h)}
		}
	}
	if in[2][0] < ids[1] {
		return nil, fmt.Errorf("nn: Embeddings: sequence length %d exceeds %d positions", ids[1], in[2][0])
	}
	return tensor.Shape{ids[0] * ids[1], h}, nil
}

func (e *Embeddings) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	if _, err := e.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	ids, err := ints(in[0])
	if err != nil {
		return nil, err
	}
	S := in[0].Shape()[1]
	w, p, t := f32(in[1]), f32(in[2]), f32(in[3])
	H := in[1].Shape()[1]
	V := in[1].Shape()[0]
	out, x := newF32(len(ids), H)
	for i, id := range ids {
		if id < 0 || id >= V {
			return nil, fmt.Errorf("nn: Embeddings: token id %d at position %d is outside the vocabulary [0, %d)", id, i, V)
		}
		row := x[i*H : (i+1)*H]
		pos := p[(i%S)*H:]
		wr := w[id*H:]
		for j := range row {
			row[j] = wr[j] + pos[j] + t[j]
		}
	}
	return out, nil
}

func (e *Embeddings) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	ids, err := ints(in[0])
	if err != nil {
		return nil, err
	}
	S := in[0].Shape()[1]
	H := in[1].Shape()[1]
	dx := f32(dOut)
	dwT, dw := newF32(in[1].Shape()...)
	dpT, dp := newF32(in[2].Shape()...)
	dtT, dt := newF32(in[3].Shape()...)
	for i, id := range ids {
		row := dx[i*H : (i+1)*H]
		axpy(1, row, dw[id*H:(id+1)*H])
		axpy(1, row, dp[(i%S)*H:(i%S+1)*H])
		axpy(1, row, dt[:H])
	}
	return []*tensor.Dense{nil, dwT, dpT, dtT}, nil
}
