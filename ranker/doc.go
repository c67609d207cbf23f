// Package ranker owns a trained checkpoint, loaded and ready to score text
// or retrieve from a corpus.
//
// Load reads a checkpoint folder (or a run folder's latest checkpoint) as a
// Ranker: the student model with its weights (LoadModel, the one loader of
// every verb that reads a checkpoint: compare, retrieve, student rerank and
// export onnx), the tokenizer saved with it, and the Encoder that turns
// queries and documents into the model's input token ids (int32, as the
// tokenizer gives them; padded with tokenizer.Pad) exactly as training does. A Ranker scores documents against a query (Score), reranks
// a candidate run (Rerank) and indexes a corpus (BuildIndex):
//
//	r, err := ranker.Load("runs/colbert/best")
//	scores, err := r.Score("what is a cat", "cats are small felines.", "the stock market fell.")
//	ix, err := r.BuildIndex(texts.DocIDs, texts.Docs, ranker.IndexOptions{CacheDir: "cache/"})
//	hits, err := ix.Search("what is a cat", 1000)
//
// Indexing goes through two small interfaces, TokenEncoder (a vector per
// token, MaxSim: ColBERT) and SparseEncoder (vocabulary weights, dot product:
// SPLADE), over package retrieval's exact MaxSim store and inverted index; a
// cross-encoder only scores and reranks.
//
// Package training writes the checkpoints and encodes its batches with the
// same Encoder; ranker does not import training.
package ranker
