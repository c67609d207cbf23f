package datasets

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
)

// recordWriter writes queries and documents in one Format.
type recordWriter struct {
	f   Format
	w   *bufio.Writer
	enc *json.Encoder
}

func newRecordWriter(w *bufio.Writer, f Format) *recordWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &recordWriter{f: f, w: w, enc: enc}
}

// jsonQuery and jsonDoc fix the field order of the JSONL lines.
type jsonQuery struct {
	ID   string `json:"_id"`
	Text string `json:"text"`
}

type jsonDoc struct {
	ID    string `json:"_id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// tsvSafe replaces the tabs and line breaks that TSV cannot hold by spaces.
var tsvSafe = strings.NewReplacer("\t", " ", "\r\n", " ", "\r", " ", "\n", " ")

func (rw *recordWriter) query(q Query) error {
	if rw.f == JSONL {
		return rw.enc.Encode(jsonQuery{q.ID, q.Text})
	}
	if err := checkTSVID("query id", q.ID); err != nil {
		return err
	}
	_, err := fmt.Fprintf(rw.w, "%s\t%s\n", q.ID, tsvSafe.Replace(q.Text))
	return err
}

func (rw *recordWriter) document(d Document) error {
	if rw.f == JSONL {
		return rw.enc.Encode(jsonDoc{d.ID, d.Title, d.Text})
	}
	if err := checkTSVID("document id", d.ID); err != nil {
		return err
	}
	if d.Title == "" {
		_, err := fmt.Fprintf(rw.w, "%s\t%s\n", d.ID, tsvSafe.Replace(d.Text))
		return err
	}
	_, err := fmt.Fprintf(rw.w, "%s\t%s\t%s\n", d.ID, tsvSafe.Replace(d.Title), tsvSafe.Replace(d.Text))
	return err
}

// writeRecords creates path in format f, atomically, with what fill writes.
func writeRecords(path string, f Format, fill func(rw *recordWriter) error) error {
	return writeFile(path, func(w *bufio.Writer) error {
		return fill(newRecordWriter(w, f))
	})
}

// WriteQueries writes queries to path in the format its extension names (see
// FormatOf), atomically.
func WriteQueries(path string, queries []Query) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	return writeQueries(path, f, queries)
}

// WriteCorpus writes docs to path in the format its extension names (see
// FormatOf), atomically.
func WriteCorpus(path string, docs []Document) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	return writeCorpus(path, f, docs)
}

// WriteQueriesJSONL writes queries as BEIR JSONL lines {"_id","text"}, atomically.
func WriteQueriesJSONL(path string, queries []Query) error {
	return writeQueries(path, JSONL, queries)
}

// WriteCorpusJSONL writes docs as BEIR JSONL lines {"_id","title","text"}, atomically.
func WriteCorpusJSONL(path string, docs []Document) error {
	return writeCorpus(path, JSONL, docs)
}

// WriteQueriesTSV writes queries as id<TAB>text lines, atomically. Tabs and
// line breaks in the text become spaces (TSV has no escaping); an id holding
// them is an error.
func WriteQueriesTSV(path string, queries []Query) error {
	return writeQueries(path, TSV, queries)
}

// WriteCorpusTSV writes docs as id<TAB>text lines, or id<TAB>title<TAB>text
// for a document with a title, atomically. Text is cleaned as in
// WriteQueriesTSV.
func WriteCorpusTSV(path string, docs []Document) error {
	return writeCorpus(path, TSV, docs)
}

func writeQueries(path string, f Format, queries []Query) error {
	return writeRecords(path, f, func(rw *recordWriter) error {
		for _, q := range queries {
			if err := rw.query(q); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeCorpus(path string, f Format, docs []Document) error {
	return writeRecords(path, f, func(rw *recordWriter) error {
		for _, d := range docs {
			if err := rw.document(d); err != nil {
				return err
			}
		}
		return nil
	})
}

// ConvertQueries streams the queries file src into dst, each in the format
// its extension names (e.g. queries.tsv → queries.jsonl), and returns how many
// queries it wrote. Memory does not grow with the file size.
func ConvertQueries(src, dst string) (int, error) {
	return convertRecords(src, dst, func(rw *recordWriter, count func()) error {
		return ForEachQuery(src, func(q Query) error { count(); return rw.query(q) })
	})
}

// ConvertCorpus is ConvertQueries for a corpus file.
func ConvertCorpus(src, dst string) (int, error) {
	return convertRecords(src, dst, func(rw *recordWriter, count func()) error {
		return ForEachDocument(src, func(d Document) error { count(); return rw.document(d) })
	})
}

func convertRecords(src, dst string, copy func(rw *recordWriter, count func()) error) (int, error) {
	if _, err := FormatOf(src); err != nil {
		return 0, err
	}
	f, err := FormatOf(dst)
	if err != nil {
		return 0, err
	}
	n := 0
	err = writeRecords(dst, f, func(rw *recordWriter) error {
		return copy(rw, func() { n++ })
	})
	return n, err
}
