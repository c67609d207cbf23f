// Package checkpoints saves and loads training checkpoints as self-contained
// folders laid out like a Hugging Face model folder, and manages the
// checkpoints of a run.
//
// A checkpoint folder:
//
//	step-000200/
//	  model.safetensors      weights, F32, Hugging Face BERT tensor names
//	                         (bert.encoder.layer.0.attention.self.query.weight, [out, in])
//	  config.json            the student's model config at the top level (as
//	                         transformers expects) plus a "distill" object:
//	                         architecture, tokenizer sha256, labels provenance,
//	                         distill version, created time, seed
//	  tokenizer.json         the tokenizer, copied in
//	  trainer_state.json     step, epoch, cursor, RNG state, metrics
//	  optimizer.safetensors  AdamW moments: <param>.exp_avg, <param>.exp_avg_sq
//	  manifest.json          every other file with its size and sha256
//
// A run folder:
//
//	run/
//	  step-000100/ step-000200/ ...   checkpoints, pruned by Rotate
//	  best/                            the best checkpoint by validation metric (MarkBest)
//	  last                             "step-000200\n": the latest complete checkpoint
//
// Save writes every file into a temporary folder beside the target
// (.step-000200.tmp-*), fsyncs it, renames it into place and only then
// rewrites last, so a crash leaves either no new checkpoint or a complete
// one; leftover temporary folders are ignored by Latest and removed by the
// next Save or Rotate. Load verifies every file against the manifest (internal/manifest) and
// names the file at fault. One process writes a run folder at a time.
// Resolve turns what a user names (a checkpoint folder, or a run folder)
// into the checkpoint folder to read.
package checkpoints
