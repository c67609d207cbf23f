// Package bertonnx writes BERT-shaped cross-encoders as ONNX models and
// computes the same model's scores with an independent float64 reference.
//
// A cross-encoder reads one query–document pair as a single token sequence
//
//	[CLS] query tokens [SEP] document tokens [SEP] [PAD] ...
//
// and maps the pooled [CLS] vector to NumLabels logits. The models written here
// look like the ones Hugging Face optimum or torch.onnx.export produce for
// BertForSequenceClassification:
//
//	inputs   input_ids       int64 [batch_size, sequence_length]
//	         attention_mask  int64 [batch_size, sequence_length]  (1 = token, 0 = padding)
//	         token_type_ids  int64 [batch_size, sequence_length]  (only when Config.WithTokenTypes)
//	output   logits          float32 [batch_size, NumLabels]
//
// The weights are stored as initializers under their Hugging Face names (see
// Specs), in the PyTorch layouts, so a state dict converts one to one.
//
// Forward is a plain-Go float64 forward pass written directly from the BERT
// equations. It shares no code with the graph builder, so agreement between
// ONNX Runtime running a written model and Forward is a real check of both.
//
// ReadONNXWeights reads the float32 initializers of any such model back as
// Weights (distill student train --init-from a teacher). Weights hold
// checkpoints.Tensor values, the one tensor type of checkpoints, students
// and ONNX models.
//
// RandomWeights makes small seeded models for tests and benchmarks; Tiny and
// MiniLML6 are the two preset sizes.
package bertonnx
