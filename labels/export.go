package labels

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"strconv"
)

// Export formats.
const (
	FormatTSV     = "tsv"     // query_id<TAB>doc_id<TAB>score, one pair per line
	FormatJSONL   = "jsonl"   // {"query_id", "document_ids", "scores"}, one query per line
	FormatTriples = "triples" // query_id<TAB>positive_id<TAB>negative_id<TAB>margin
)

// Export writes the set in the given format to w. Triples are drawn with
// topts (a nil Rand in topts and a non-zero seed draws with that seed).
func (s *Set) Export(w io.Writer, format string, topts TripleOptions, seed int64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf []byte
	if format == FormatTriples && topts.Rand == nil && seed != 0 {
		topts.Rand = rand.New(rand.NewSource(seed))
	}
	var write func(Row) error
	switch format {
	case FormatTSV:
		write = func(r Row) error {
			for i, d := range r.DocumentIDs {
				buf = buf[:0]
				buf = append(buf, r.QueryID...)
				buf = append(buf, '\t')
				buf = append(buf, d...)
				buf = append(buf, '\t')
				buf = strconv.AppendFloat(buf, float64(r.Scores[i]), 'g', -1, 32)
				buf = append(buf, '\n')
				if _, err := bw.Write(buf); err != nil {
					return err
				}
			}
			return nil
		}
	case FormatJSONL:
		enc := json.NewEncoder(bw)
		write = func(r Row) error {
			return enc.Encode(struct {
				QueryID     string    `json:"query_id"`
				DocumentIDs []string  `json:"document_ids"`
				Scores      []float32 `json:"scores"`
			}{r.QueryID, r.DocumentIDs, r.Scores})
		}
	case FormatTriples:
		write = func(r Row) error {
			for _, t := range Triples(r, topts) {
				buf = buf[:0]
				buf = append(buf, t.QueryID...)
				buf = append(buf, '\t')
				buf = append(buf, t.PositiveID...)
				buf = append(buf, '\t')
				buf = append(buf, t.NegativeID...)
				buf = append(buf, '\t')
				buf = strconv.AppendFloat(buf, float64(t.Margin), 'g', -1, 32)
				buf = append(buf, '\n')
				if _, err := bw.Write(buf); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		return fmt.Errorf("labels: unknown export format %q (want %s, %s or %s)", format, FormatTSV, FormatJSONL, FormatTriples)
	}
	if err := s.ForEach(write); err != nil {
		return err
	}
	return bw.Flush()
}
