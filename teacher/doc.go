// Package teacher runs a cross-encoder over query–document pairs and writes
// its raw-logit scores as soft labels (package labels), or reranks a run.
//
// A cross-encoder reads "[CLS] query [SEP] document [SEP]" (BERT) or
// "<s> query </s></s> document </s>" (RoBERTa, XLM-R) and outputs one
// relevance logit per pair. Any ONNX export in the Hugging Face layout works:
// int64 (or int32) inputs input_ids, attention_mask and, when the model has
// them, token_type_ids, all [batch, sequence]; output logits [batch, 1], or
// [batch, 2] for two-class heads, whose score is the positive-class logit
// minus the negative-class logit (the log-odds, which softmax would turn into
// the positive probability). Scores are never squashed by a sigmoid.
//
// The labelling pipeline (Label) overlaps tokenisation with inference: a
// producer tokenises the next chunk of queries, sorts its pairs by length and
// cuts them into batches with dynamic padding while the ONNX sessions score
// the previous batches (a Scorer scores a tokenizer.Batch, padded by
// tokenizer.Pad). The queries to label and their texts come from package
// datasets (ReadTexts; a shard is datasets.InShard). Each finished chunk of queries is written as one Arrow
// file atomically, so a job killed at any moment and run again with the same
// command redoes at most the chunks that were in flight.
//
// Errors carry the values that caused them (MissingTextError, DamagedError,
// OtherJobError, ForeignFolderError, NonFiniteScoreError, ErrNoCUDA) and
// name the LabelJob, InputOptions or ONNXOptions field that changes the
// outcome; the command line maps those to its flags.
package teacher
