package student

import (
	"fmt"

	"gorgonia.org/tensor"
)

// ColBERTInputs is one side of ColBERT prepared as the encoder reads it,
// every field [B][L]: IDs with the [Q] or [D] marker inserted after [CLS]
// (queries padded with [MASK] to QueryLength, documents with PadID),
// Attention the encoder's attention mask, and Score 1 for the tokens whose
// embeddings take part in MaxSim (all query tokens; document tokens that
// are neither padding nor SkipIDs). A model exported to ONNX (package
// export) reads IDs and Attention as input_ids and attention_mask.
type ColBERTInputs struct {
	IDs, Attention, Score [][]int32
}

// PrepareQueries prepares queries (token ids with [CLS] and [SEP],
// unpadded) exactly as EncodeQueries does.
func (c *ColBERT) PrepareQueries(queries [][]int32) (ColBERTInputs, error) {
	ids, mask, err := padded(queries, c.cfg.PadID)
	if err != nil {
		return ColBERTInputs{}, fmt.Errorf("student: colbert prepare: %w", err)
	}
	return c.prepareQueries(ids, mask).rows(), nil
}

// PrepareDocs prepares documents (token ids with [CLS] and [SEP],
// unpadded) exactly as EncodeDocs does, cut to MaxPosition tokens.
func (c *ColBERT) PrepareDocs(docs [][]int32) (ColBERTInputs, error) {
	ids, mask, err := padded(docs, c.cfg.PadID)
	if err != nil {
		return ColBERTInputs{}, fmt.Errorf("student: colbert prepare: %w", err)
	}
	return c.prepareDocs(ids, mask).rows(), nil
}

// rows unpacks the prepared tensors.
func (in colbertInputs) rows() ColBERTInputs {
	return ColBERTInputs{IDs: intRows(in.ids), Attention: intRows(in.attn), Score: intRows(in.score)}
}

// intRows unpacks an int or 0/1 float32 matrix [B, L] into rows.
func intRows(t *tensor.Dense) [][]int32 {
	B, L := t.Shape()[0], t.Shape()[1]
	out := make([][]int32, B)
	for b := range out {
		out[b] = make([]int32, L)
	}
	switch t.Dtype() {
	case tensor.Int:
		fill(out, t.Ints(), L)
	case tensor.Float32:
		fill(out, t.Float32s(), L)
	}
	return out
}

// fill copies the row-major matrix d with rows of length L into out.
func fill[T int | float32](out [][]int32, d []T, L int) {
	for b, row := range out {
		for j := range row {
			row[j] = int32(d[b*L+j])
		}
	}
}
