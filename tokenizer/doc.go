// Package tokenizer is a pure-Go Hugging Face BERT WordPiece tokenizer that
// gives the same ids as Hugging Face tokenizers (checked against 0.22.2 on
// thousands of real and adversarial texts, testdata/golden.jsonl).
//
// It reads a tokenizer.json (Load) whose model is WordPiece, normalizer
// BertNormalizer (or null), pre-tokenizer BertPreTokenizer and post-processor
// TemplateProcessing, BertProcessing or null; one-element Sequences of those
// are accepted. Other components are refused with an *UnsupportedError:
//
//	tokenizer: tokenizer.json: model type "BPE" is not supported (supported: WordPiece, as in BERT models)
//
// LoadVocab reads a plain vocab.txt with BERT's defaults.
//
// Text passes through these steps:
//
//	added tokens      "[CLS]", "[SEP]", ... matched verbatim (case-sensitive) in the raw text
//	BertNormalizer    "Ångström\u00a0CAFÉ\u200b" -> "angstrom cafe"
//	BertPreTokenizer  "don't stop." -> "don" "'" "t" "stop" "."
//	WordPiece         "unaffable" -> "una" "##ffa" "##ble"; a word over 100 characters -> [UNK]
//	template          [CLS] a [SEP] b [SEP], type ids 0 ... 0 1 ... 1
//
// The teacher tokenizes each document once with Tokenize, caches the ids,
// and assembles query-document pairs with BuildPair (or BuildPairTo, which
// reuses an Encoding and does not allocate). Truncation is Hugging Face's
// LongestFirst with the special tokens counted, so BuildPair(Tokenize(a),
// Tokenize(b), n) equals EncodePair(a, b, n) and Hugging Face's encoding of
// (a, b) truncated to n. A Tokenizer is safe for concurrent use.
package tokenizer
