// Package export writes distill's models as ONNX, so that a distilled
// student or a fine-tuned cross-encoder can be served by any ONNX runtime.
//
// Three kinds of model are written, all with int64 inputs of dynamic shape
// [batch_size, sequence_length] and weights under their Hugging Face names:
//
//	kind           inputs                                       output
//	crossencoder   input_ids, attention_mask, token_type_ids    logits            float32 [batch_size, 1]
//	colbert        input_ids, attention_mask                    token_embeddings  float32 [batch_size, sequence_length, dim]
//	splade         input_ids, attention_mask                    sparse_weights    float32 [batch_size, vocab_size]
//
// The cross-encoder is laid out as Hugging Face exports
// BertForSequenceClassification (bertonnx.BuildModel): a pair is
// "[CLS] q [SEP] d [SEP]" with token types 0 for "[CLS] q [SEP]" and 1 for
// "d [SEP]" (student.JoinPair), so `distill teacher label` and any
// cross-encoder runtime use it as they use a downloaded teacher.
//
// SPLADE's output is the sparse representation itself,
// max over non-padding tokens of log(1 + ReLU(MLM logits)); the input is a
// text as the tokenizer encodes it alone, "[CLS] text [SEP]", padded.
//
// ColBERT's output is the L2-normalised projection of every position. The
// caller prepares the inputs as student.ColBERT does (ColBERT.PrepareQueries
// and PrepareDocs return exactly these rows):
//
//	query     [CLS] [Q] q₁ … qₙ [SEP] [MASK] … [MASK]   to query_length tokens, cut to it keeping [SEP];
//	          attention_mask 1 on the [MASK] padding when attend_to_mask_tokens, else 0;
//	          every position's embedding scores (query augmentation)
//	document  [CLS] [D] d₁ … dₘ [SEP] [PAD] …           cut to max_position_embeddings keeping [SEP];
//	          the caller drops padding and skip-list (punctuation) positions before MaxSim
//
// with [Q] = query_marker_id, [D] = doc_marker_id, [MASK] = mask_id from the
// student's configuration, which is stored in the model's metadata under
// MetadataStudentKey.
//
// WriteModel exports a model in memory; Checkpoint exports a checkpoint
// folder, loaded by package ranker (the kind read from its config.json by
// ranker.ModelConfig), and copies its tokenizer.json next to the model.
// Every file is written atomically.
package export
