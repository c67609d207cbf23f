// Package tokenizer is a pure-Go Hugging Face tokenizer that gives the same
// ids as Hugging Face tokenizers 0.22 for the families cross-encoders use:
// BERT WordPiece, SentencePiece Unigram (XLM-RoBERTa, bge-reranker,
// jina-reranker-v2, DeBERTa-v3) and byte-level BPE (RoBERTa, ModernBERT).
// It is checked pair by pair against the Hugging Face library on thousands
// of real and adversarial texts per family (testdata/golden.jsonl for
// bert-base-uncased, testdata/families for tokenizers of each other family
// trained on the shipped corpora, and for edited copies of them listed in
// testdata/families/variants.json).
//
// Load reads a tokenizer.json; its parts map to small interfaces:
//
//	normalizer      BertNormalizer, Precompiled (SentencePiece's charsmap), NFC, NFD,
//	                NFKC, NFKD, Lowercase, StripAccents, Strip, Replace, Prepend, Sequence
//	pre_tokenizer   BertPreTokenizer, Metaspace, ByteLevel, Split, Whitespace,
//	                WhitespaceSplit, Punctuation, Digits, CharDelimiterSplit, Sequence
//	model           WordPiece, Unigram (Viterbi, byte_fallback, fused unk),
//	                BPE (merges by rank, byte_fallback, ignore_merges; no dropout)
//	post_processor  TemplateProcessing, BertProcessing, RobertaProcessing,
//	                ByteLevel (ids unchanged), Sequence
//	decoder         ByteLevel, Metaspace, WordPiece, BPEDecoder, ByteFallback, Fuse,
//	                Strip, Replace, Sequence (Decode turns ids back into text)
//	added_tokens    matched before normalization (normalized=false) or after it
//	                (by their normalized form), leftmost-longest, with lstrip/rstrip
//
// Anything else is refused with an *UnsupportedError naming what was found:
//
//	tokenizer: tokenizer.json: model type "WordLevel" is not supported (supported: WordPiece, Unigram, BPE)
//
// Regex patterns (Split, Replace) run on Go's RE2, rewritten to Oniguruma's
// meaning (Unicode \s \d \w, line anchors; see compileOnig); the Llama 3
// and Qwen2 pre-tokenizer patterns, whose look-ahead RE2 lacks, are matched
// by hand; any other pattern RE2 cannot compile is refused. LoadVocab reads a plain
// BERT vocab.txt with BERT's defaults.
//
// BERT files (BertNormalizer, BertPreTokenizer, WordPiece) take a fast path:
//
//	added tokens      "[CLS]", "[SEP]", ... matched verbatim (case-sensitive) in the raw text
//	BertNormalizer    "Ångström\u00a0CAFÉ\u200b" -> "angstrom cafe"
//	BertPreTokenizer  "don't stop." -> "don" "'" "t" "stop" "."
//	WordPiece         "unaffable" -> "una" "##ffa" "##ble"; a word over 100 characters -> [UNK]
//	template          [CLS] a [SEP] b [SEP], type ids 0 ... 0 1 ... 1
//
// An XLM-R file runs Precompiled ("Ｆｕｌｌ" -> "Full"), Metaspace ("Hello
// world" -> "▁Hello" "▁world"), Unigram and the template <s> a </s></s> b
// </s>; a RoBERTa file runs ByteLevel ("Hello world" -> "Hello" "Ġworld"), BPE
// and RobertaProcessing.
//
// The teacher tokenizes each document once with Tokenize, caches the ids,
// and assembles query-document pairs with BuildPair (or BuildPairTo, which
// reuses an Encoding and does not allocate). Truncation is Hugging Face's
// LongestFirst with the special tokens counted, so BuildPair(Tokenize(a),
// Tokenize(b), n) equals EncodePair(a, b, n) and Hugging Face's encoding of
// (a, b) truncated to n. A Tokenizer is safe for concurrent use.
//
// Token ids are int32 everywhere in distill, from Tokenize and Encoding to
// the teacher's ONNX batches and the students' batches; they are widened
// only where a tensor library wants another type (int64 ONNX inputs,
// gorgonia's int). Pad is the one padding: it right-pads sequences (and
// their type ids) into a Batch of [Size, Len] row-major ids, type ids and
// attention mask, to the longest sequence or to a fixed width, and Rows
// gives the rows as views. JoinSingles joins two single encodings into the
// pair encoding BuildPair would give, for callers that hold encoded texts
// but not the tokenizer.
package tokenizer
