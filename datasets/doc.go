// Package datasets reads and writes the retrieval data formats distill works
// with: BEIR folders (corpus.jsonl, queries.jsonl, qrels/<split>.tsv), MS MARCO
// style TSV (id<TAB>text), TREC run files (qid Q0 docid rank score tag), TREC
// qrels (qid 0 docid rel), and the classic SMART collections (Cranfield, CISI,
// MED) that it converts to the BEIR layout.
//
// # Formats
//
// Queries and corpus files are picked by extension (FormatOf): .jsonl is BEIR
// JSONL, .tsv and .txt are TSV; a trailing .gz is decompressed (readers) or
// compressed (writers).
//
//	{"_id": "d1", "title": "Cats", "text": "Cats purr.", "metadata": {}}   corpus.jsonl
//	{"_id": 19335, "text": "anthropological definition of environment"}   queries.jsonl
//	19335<TAB>anthropological definition of environment                    queries.tsv
//	7<TAB>The Manhattan Project ...                                        collection.tsv
//	7<TAB>Manhattan Project<TAB>The Manhattan Project ...                  collection.tsv, with title
//
// "_id" may be a JSON string or number (kept as spelled); other fields are
// ignored. A TSV file may start with a header line whose first column is a
// name such as "id", "qid" or "docid".
//
// Runs and qrels:
//
//	19335 Q0 1720389 1 12.75 colbert      run: qid Q0 docid rank score tag
//	19335 0 1720389 1                     TREC qrels: qid iter docid rel
//	19335<TAB>1720389<TAB>1               BEIR qrels, optionally after "query-id<TAB>corpus-id<TAB>score"
//
// ReadQrels detects TREC or BEIR qrels from the first line. ReadRun sorts each
// query's entries by rank; WriteRun orders them by score and ranks them from 1
// so that rank and score always agree.
//
// SMART files (ForEachSMARTRecord) and their relevance files
// (ForEachSMARTQrel) are converted to a BEIR folder by ConvertSMART;
// ConvertCranfield does it for Cranfield, whose grade mapping is documented
// on CranfieldGrade.
//
// # Reading
//
// Every reader streams: ForEachQuery, ForEachDocument, ForEachRunEntry and
// ForEachQrel hold one line at a time (lines up to MaxLineSize), and the ReadX
// functions collect what they stream. Blank lines are skipped, CRLF line ends
// and a UTF-8 byte-order mark are accepted. A malformed line is a *ParseError
// naming the file and the 1-based line:
//
//	datasets: corpus.jsonl line 17: field "_id": missing
//
// # Validation
//
// The package-level readers only parse. A Validator reads the same way and
// also checks content (blank texts, duplicate ids, run and qrels entries
// naming unknown queries or documents) under a Policy: Strict stops at the
// first problem, Skip drops the record, Keep keeps it; both count the
// problems in a Report.
//
//	v := &datasets.Validator{Policy: datasets.Skip}
//	b, err := v.LoadBEIR(dir, "test")
//	fmt.Println(v.Report.String())
//
// # Texts, splits and runs
//
// ReadTexts is the one text store: the texts of the wanted query and
// document ids (a document as its FullText), streamed from the files, for
// the teacher, the trainer, the reranker and compare alike.
//
// Queries are split deterministically in one place, with one seeded hash
// (FNV-1a through murmur3's finaliser): Split cuts ids into named parts of
// given fractions, InSplit decides one id at a time whether it is held out
// (training's validation queries), InShard deals sorted ids round-robin
// (the teacher's shards).
//
// SortByScore orders one query's entries by score and ranks them from 1,
// TopK keeps the first k of each query. A Hit is one retrieved document and
// its score, as BM25 and package retrieval rank them; HitEntries makes a
// query's hits run entries.
//
// # Writing
//
// Every writer creates its file atomically (internal/fsutil.WriteAtomic):
// after an error the previous file, if any, is untouched.
package datasets
