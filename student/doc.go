// Package student provides the student retrievers distilled from the
// cross-encoder teacher: a BERT-style encoder and the two heads built on
// it, ColBERT (late interaction, MaxSim over token embeddings) and SPLADE
// (sparse vocabulary weights, dot product).
//
// Models are gorgonia graphs whose parameters carry Hugging Face BERT names
// (bert.embeddings.word_embeddings.weight, bert.encoder.layer.0.attention.
// self.query.weight, ...), so checkpoints are saved by name (Weights copies
// the parameters out as checkpoints.Tensor values) and a BERT-shaped model
// initialises a student with LoadWeights. The heavy
// computation runs in the fused kernels of student/nn.
//
// Training builds a graph once per batch shape:
//
//	g := gorgonia.NewGraph()
//	m, _ := student.NewColBERT(g, cfg, seed)
//	sPos, sNeg, aux, _ := m.ScoreTriples(batch)   // [B] scores
//	loss := ...                                   // e.g. Margin-MSE on sPos−sNeg
//	gorgonia.Grad(loss, student.Nodes(m.Params())...)
//	vm := nn.NewMachine(g)                        // a tape machine whose gradient sums use all CPUs
//	for each batch { aux.Feed(batch); vm.RunAll(); update; vm.Reset() }
//
// Inference (Score, EncodeQueries, EncodeDocs) runs the same kernels
// directly, without a graph or gradients.
//
// Token ids are int32, as package tokenizer gives them ([CLS] … [SEP],
// unpadded); batches are padded with tokenizer.Pad, and the cross-encoder's
// pairs are joined with the tokenizer's own truncation (JoinPair).
//
// A Config's Kind (KindColBERT, KindSPLADE, KindCrossEncoder) names the
// model New builds; its string is what checkpoints and config files record.
package student
