// Package datasets reads and writes the retrieval data formats distill works
// with: BEIR folders (corpus.jsonl, queries.jsonl, qrels/<split>.tsv), MS MARCO
// style TSV (id<TAB>text), TREC run files (qid Q0 docid rank score tag), TREC
// qrels (qid 0 docid rel), and the classic SMART collections (Cranfield, CISI,
// MED) that it converts to the BEIR layout.
package datasets
