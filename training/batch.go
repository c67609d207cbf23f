package training

import (
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/student"
)

// batch is one step's inputs: the triples, padded to the fixed widths of
// the graph, and the teacher's numbers for them.
type batch struct {
	triples *student.TripleBatch // [B·k] triples
	margins []float32            // [B·k] teacher margins t⁺ − t⁻
	// teacher holds, per example, the teacher's scores of the positive and
	// the k negatives ([B, 1+k] row-major), for the kldiv loss.
	teacher []float32
}

// makeBatch pads the examples' triples into a TripleBatch of fixed widths.
func makeBatch(d *Data, enc *ranker.Encoder, examples []Example) *batch {
	b := &batch{}
	var qs, pos, neg [][]int32
	for _, ex := range examples {
		b.teacher = append(b.teacher, ex[0].PositiveScore)
		for _, t := range ex {
			qs = append(qs, d.Queries[t.QueryID])
			pos = append(pos, d.Docs[t.PositiveID])
			neg = append(neg, d.Docs[t.NegativeID])
			b.margins = append(b.margins, t.Margin)
			b.teacher = append(b.teacher, t.NegativeScore)
		}
	}
	tb := &student.TripleBatch{}
	tb.QueryIDs, tb.QueryMask = enc.Pad(qs, enc.QueryWidth)
	tb.PosIDs, tb.PosMask = enc.Pad(pos, enc.DocWidth)
	tb.NegIDs, tb.NegMask = enc.Pad(neg, enc.DocWidth)
	b.triples = tb
	return b
}

// examplesAt returns the batch of step (0-based): examples step·B … step·B+B−1
// of the endless, epoch-wise permuted stream.
func examplesAt(d *Data, o *order, step, size int) []Example {
	out := make([]Example, size)
	for i := range out {
		out[i] = d.Train[o.at(int64(step)*int64(size)+int64(i))]
	}
	return out
}
