package datasets

import (
	"bufio"
	"strconv"
)

// BEIRQrelsHeader is the first line of a BEIR qrels file.
const BEIRQrelsHeader = "query-id\tcorpus-id\tscore"

// WriteQrelsTREC writes qrels to path as TREC qrels ("qid 0 docid rel"),
// atomically, queries and documents in id order (numeric ids numerically).
func WriteQrelsTREC(path string, qrels Qrels) error {
	return writeQrels(path, qrels, "", checkID, func(b []byte, qid, docid string, rel int) []byte {
		b = append(b, qid...)
		b = append(b, " 0 "...)
		b = append(b, docid...)
		b = append(b, ' ')
		return strconv.AppendInt(b, int64(rel), 10)
	})
}

// WriteQrelsBEIR writes qrels to path as a BEIR qrels TSV with its header line
// (BEIRQrelsHeader), atomically, in the same order as WriteQrelsTREC. Ids
// may hold spaces but not tabs or line breaks.
func WriteQrelsBEIR(path string, qrels Qrels) error {
	return writeQrels(path, qrels, BEIRQrelsHeader, checkTSVID, func(b []byte, qid, docid string, rel int) []byte {
		b = append(b, qid...)
		b = append(b, '\t')
		b = append(b, docid...)
		b = append(b, '\t')
		return strconv.AppendInt(b, int64(rel), 10)
	})
}

func writeQrels(path string, qrels Qrels, header string, check func(what, id string) error, line func(b []byte, qid, docid string, rel int) []byte) error {
	return writeFile(path, func(w *bufio.Writer) error {
		if header != "" {
			w.WriteString(header + "\n")
		}
		var b []byte
		for _, qid := range sortedKeys(qrels) {
			if err := check("query id", qid); err != nil {
				return err
			}
			docs := qrels[qid]
			for _, docid := range sortedKeys(docs) {
				if err := check("document id", docid); err != nil {
					return err
				}
				b = append(line(b[:0], qid, docid, docs[docid]), '\n')
				if _, err := w.Write(b); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
