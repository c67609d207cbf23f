package datasets

import (
	"strconv"
)

// SMARTOptions configures ConvertSMART.
type SMARTOptions struct {
	// Split names the qrels file, qrels/<Split>.tsv; DefaultSplit when empty.
	Split string
	// QrelsLayout is the layout of the relevance file (QrelsTREC by default).
	QrelsLayout SMARTQrels
	// SequentialQueryIDs numbers the queries "1".."N" in file order instead of
	// using their .I values, for relevance files that count queries that way
	// (Cranfield).
	SequentialQueryIDs bool
	// Grade maps a raw grade of the relevance file to the relevance written
	// (higher = more relevant); keep=false drops the judgement. Nil keeps
	// grades above 0 as they are and drops the others.
	Grade func(raw int) (rel int, keep bool)
	// Policy says what to do with blank texts, duplicate ids, and judgements
	// naming unknown queries or documents. The zero value is Strict.
	Policy Policy
}

// Stats describes a conversion.
type Stats struct {
	Documents     int    // documents written to corpus.jsonl
	Queries       int    // queries written to queries.jsonl
	Qrels         int    // judgements written to qrels/<split>.tsv
	JudgedQueries int    // queries with at least one judgement written
	DroppedQrels  int    // judgements dropped by SMARTOptions.Grade
	Report        Report // problems found, handled under SMARTOptions.Policy
}

// ConvertSMART converts a SMART collection (documents, queries and an
// optional relevance file, qrelsPath == "" for none) into a BEIR folder at
// outDir: corpus.jsonl with the .T title and .W text of each document (.I as
// "_id"), queries.jsonl with each query's title and text, and
// qrels/<split>.tsv. SMART collections are small, so all is read and checked
// before anything is written; each file is then written atomically.
func ConvertSMART(docsPath, queriesPath, qrelsPath, outDir string, opts SMARTOptions) (Stats, error) {
	v := &Validator{Policy: opts.Policy}
	var st Stats
	b := &BEIR{}
	var err error
	if b.Corpus, err = v.smartDocuments(docsPath); err != nil {
		return st, err
	}
	if b.Queries, err = v.smartQueries(queriesPath, opts.SequentialQueryIDs); err != nil {
		return st, err
	}
	if qrelsPath != "" {
		v.Queries, v.Docs = QueryIDs(b.Queries), DocIDs(b.Corpus)
		if b.Qrels, st.DroppedQrels, err = v.smartQrels(qrelsPath, opts); err != nil {
			return st, err
		}
	}
	if err := WriteBEIR(outDir, opts.Split, b); err != nil {
		return st, err
	}
	st.Documents, st.Queries = len(b.Corpus), len(b.Queries)
	st.Qrels, st.JudgedQueries = b.Qrels.Len(), len(b.Qrels)
	st.Report = v.Report
	return st, nil
}

func (v *Validator) smartDocuments(path string) ([]Document, error) {
	var docs []Document
	seen := seenLines{}
	err := ForEachSMARTRecord(path, func(r SMARTRecord) error {
		d := r.Document()
		keep, err := v.checkTextRecord(path, ".I", textRecord{id: d.ID, line: r.Line}, d.FullText(), seen)
		if keep {
			docs = append(docs, d)
		}
		return err
	})
	return docs, err
}

func (v *Validator) smartQueries(path string, sequential bool) ([]Query, error) {
	var qs []Query
	seen := seenLines{}
	n := 0
	err := ForEachSMARTRecord(path, func(r SMARTRecord) error {
		n++
		q := r.Query()
		if sequential {
			q.ID = strconv.Itoa(n)
		}
		keep, err := v.checkTextRecord(path, ".I", textRecord{id: q.ID, line: r.Line}, q.Text, seen)
		if keep {
			qs = append(qs, q)
		}
		return err
	})
	return qs, err
}

func (v *Validator) smartQrels(path string, opts SMARTOptions) (Qrels, int, error) {
	grade := opts.Grade
	if grade == nil {
		grade = func(raw int) (int, bool) { return raw, raw > 0 }
	}
	qrels := Qrels{}
	dropped := 0
	seen := seenLines{}
	err := withLines(path, func(lr *lineReader) error {
		return forEachSMARTQrel(lr, opts.QrelsLayout, func(q Qrel) error {
			rel, keep := grade(q.Relevance)
			if !keep {
				dropped++
				return nil
			}
			q.Relevance = rel
			keep, err := v.checkPair(lr.file, lr.line, q.QueryID, q.DocID, seen)
			if keep {
				qrels.Add(q)
			}
			return err
		})
	})
	return qrels, dropped, err
}
