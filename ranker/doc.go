// Package ranker owns a trained checkpoint, loaded and ready to score text:
// it loads a checkpoint folder (or a run folder's latest checkpoint) as a
// student model with the tokenizer saved in it, encodes queries and
// documents into the model's input token ids exactly as training does
// (Encoder), scores documents against a query (Ranker.Score) and reranks a
// candidate run (Rerank).
//
// One loader serves every verb that reads a checkpoint: `distill compare`,
// `distill retrieve`, `distill student rerank` and `distill export onnx`.
// Package training writes the checkpoints and encodes its batches with the
// same Encoder; it is not needed to use one.
package ranker
