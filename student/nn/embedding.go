package nn

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Embeddings sums BERT's word, position and token-type (segment)
// embeddings. NewEmbeddings gives every token type 0, as for
// single-segment ColBERT and SPLADE inputs; NewTypedEmbeddings takes the
// token types as a fifth input, as a cross-encoder reading
// "[CLS] q [SEP] d [SEP]" with types 0…0 1…1 needs.
//
// Inputs: ids [B, S] (int), E_word [V, H], E_pos [P, H] with P ≥ S,
// E_type [T, H] and, when Typed, types [B, S] (int, each in [0, T)).
// Output: x [B·S, H].
//
// Forward, with τ_bs = types_bs (0 when not Typed):
//
//	x_(b,s) = E_word[ids_bs] + E_pos[s] + E_type[τ_bs]
//
// Backward, given dx (scatter-adds; repeated ids accumulate):
//
//	dE_word[ids_bs] += dx_(b,s),  dE_pos[s] += dx_(b,s),  dE_type[τ_bs] += dx_(b,s)
type Embeddings struct {
	// Typed adds the token types input.
	Typed bool
}

// NewEmbeddings returns an Embeddings kernel with inputs (ids, E_word,
// E_pos, E_type) that uses token type 0 everywhere.
func NewEmbeddings() *Embeddings { return &Embeddings{} }

// NewTypedEmbeddings returns an Embeddings kernel with inputs (ids, E_word,
// E_pos, E_type, types).
func NewTypedEmbeddings() *Embeddings { return &Embeddings{Typed: true} }

func (e *Embeddings) Name() string {
	if e.Typed {
		return "TypedEmbeddings"
	}
	return "Embeddings"
}

func (e *Embeddings) arity() int {
	if e.Typed {
		return 5
	}
	return 4
}

func (e *Embeddings) DiffWRT() []bool {
	return []bool{false, true, true, true, false}[:e.arity()]
}

func (e *Embeddings) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if err := checkArity(e.Name(), in, e.arity()); err != nil {
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
		return nil, fmt.Errorf("nn: %s: sequence length %d exceeds %d positions", e.Name(), ids[1], in[2][0])
	}
	if e.Typed && !in[4].Eq(ids) {
		return nil, &ShapeError{Op: e.Name(), Input: "types", Got: in[4], Want: fmt.Sprintf("the shape of ids %v", ids)}
	}
	return tensor.Shape{ids[0] * ids[1], h}, nil
}

// typeIDs returns the token type of every token: the types input when
// Typed, else nil (type 0 everywhere). Each type is checked against the T
// rows of E_type.
func (e *Embeddings) typeIDs(in []*tensor.Dense) ([]int, error) {
	if !e.Typed {
		return nil, nil
	}
	types, err := ints(in[4])
	if err != nil {
		return nil, err
	}
	T := in[3].Shape()[0]
	for i, t := range types {
		if t < 0 || t >= T {
			return nil, fmt.Errorf("nn: %s: token type %d at position %d is outside [0, %d)", e.Name(), t, i, T)
		}
	}
	return types, nil
}

// checkIDs returns an error for a token id outside [0, V).
func (e *Embeddings) checkIDs(ids []int, V int) error {
	for i, id := range ids {
		if id < 0 || id >= V {
			return fmt.Errorf("nn: %s: token id %d at position %d is outside the vocabulary [0, %d)", e.Name(), id, i, V)
		}
	}
	return nil
}

func (e *Embeddings) Forward(in []*tensor.Dense, train bool) (*tensor.Dense, error) {
	return e.forward(in, train, nil)
}

func (e *Embeddings) Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	return e.backward(in, out, dOut, nil)
}

func (e *Embeddings) forward(in []*tensor.Dense, train bool, mem *arena) (*tensor.Dense, error) {
	if _, err := e.OutShape(shapesOf(in)); err != nil {
		return nil, err
	}
	ids, err := ints(in[0])
	if err != nil {
		return nil, err
	}
	types, err := e.typeIDs(in)
	if err != nil {
		return nil, err
	}
	S := in[0].Shape()[1]
	w, p, t := f32(in[1]), f32(in[2]), f32(in[3])
	H := in[1].Shape()[1]
	if err := e.checkIDs(ids, in[1].Shape()[0]); err != nil {
		return nil, err
	}
	out, x := mem.dense(false, len(ids), H)
	parallelFor(len(ids), func(lo, hi int) {
		embedRows(x, ids, types, w, p, t, S, H, lo, hi)
	})
	return out, nil
}

func (e *Embeddings) backward(in []*tensor.Dense, out, dOut *tensor.Dense, mem *arena) ([]*tensor.Dense, error) {
	ids, err := ints(in[0])
	if err != nil {
		return nil, err
	}
	types, err := e.typeIDs(in)
	if err != nil {
		return nil, err
	}
	if err := e.checkIDs(ids, in[1].Shape()[0]); err != nil {
		return nil, err
	}
	S := in[0].Shape()[1]
	H := in[1].Shape()[1]
	dx := f32(dOut)
	dwT, dw := mem.dense(true, in[1].Shape()...)
	dpT, dp := mem.dense(true, in[2].Shape()...)
	dtT, dt := mem.dense(true, in[3].Shape()...)
	// Each worker adds a block of columns over all tokens, in token order.
	parallelFor(H, func(c0, c1 int) {
		embedGradCols(dw, dp, dt, dx, ids, types, S, H, c0, c1)
	})
	grads := []*tensor.Dense{nil, dwT, dpT, dtT}
	if e.Typed {
		grads = append(grads, nil)
	}
	return grads, nil
}

// embedRows and embedGradCols run the forward pass on tokens [lo, hi) and
// the backward pass on columns [c0, c1) of every token. The cgo build
// replaces them with the same sums in C, vectorised
// (embedding_openblas.go), and the pure-Go build on AVX2 with Go assembly
// (embedding_amd64.s).
var (
	embedRows     = embedRowsGo
	embedGradCols = embedGradColsGo
)

// embedRowsGo sets x's row i to E_word[ids_i] + E_pos[i mod S] +
// E_type[types_i] (type 0 when types is nil) for tokens lo ≤ i < hi.
func embedRowsGo(x []float32, ids, types []int, w, p, t []float32, S, H, lo, hi int) {
	for i := lo; i < hi; i++ {
		row := x[i*H : (i+1)*H]
		pos := p[(i%S)*H:]
		wr := w[ids[i]*H:]
		tr := t
		if types != nil {
			tr = t[types[i]*H:]
		}
		for j := range row {
			row[j] = wr[j] + pos[j] + tr[j]
		}
	}
}

// embedGradColsGo adds columns [c0, c1) of each token's gradient row to
// the rows of dE_word, dE_pos and dE_type it was summed from, token after
// token.
func embedGradColsGo(dw, dp, dt, dx []float32, ids, types []int, S, H, c0, c1 int) {
	for i, id := range ids {
		row := dx[i*H+c0 : i*H+c1]
		axpy(1, row, dw[id*H+c0:id*H+c1])
		axpy(1, row, dp[(i%S)*H+c0:(i%S)*H+c1])
		ty := 0
		if types != nil {
			ty = types[i]
		}
		axpy(1, row, dt[ty*H+c0:ty*H+c1])
	}
}
