// Package training trains ColBERT and SPLADE students on a cross-encoder
// teacher's labels.
//
// Train reads teacher labels (package labels), the queries and passages they
// refer to, and a tokenizer; it builds (query, positive, negative) triples
// with the teacher's margins, splits the queries into a training and a
// held-out validation part by a seeded hash of the query id
// (datasets.InSplit), reads the texts through datasets.ReadTexts, and runs
// AdamW with linear warm-up and decay and global-norm clipping over a
// gorgonia graph built once for a fixed batch shape. The loss is Margin-MSE
// by default (KL over n-way groups and the no-teacher pairwise cross-entropy
// are alternatives); SPLADE adds the FLOPS regularisers with their quadratic
// warm-up. A run folder holds:
//
//	run/
//	  config.yaml      the resolved Config
//	  metrics.jsonl    one JSON object per logged or validated step
//	  step-000500/ …   checkpoints (package checkpoints), the last KeepLast kept
//	  best/            the best checkpoint by the validation metric
//	  last             the latest checkpoint
//
// Training is deterministic: the same Config gives bit-identical weights,
// and a run resumed from any checkpoint ends exactly where an uninterrupted
// run ends (the data order is a function of the seed and the step, and the
// AdamW moments are checkpointed).
//
// Pretrain (masked-language-model pretraining of the encoder) keeps the
// same run folder: Train and Pretrain share one step loop and its
// bookkeeping (runFolder: resuming, saving with best/ and rotation in an
// order a kill at any moment leaves resumable, stopping on Ctrl-C or at
// Options.StopAt); a folder they cannot start in is a RunFolderError.
//
// Batches are encoded from text with ranker.Encoder, as a loaded checkpoint
// encodes them (package ranker loads, scores and reranks with checkpoints);
// Validate measures a model against the teacher on held-out queries.
package training
