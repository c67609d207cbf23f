package datasets

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkForEachDocumentJSONL streams the 5000-passage MS MARCO subset
// (2 MB of corpus.jsonl).
func BenchmarkForEachDocumentJSONL(b *testing.B) {
	path := filepath.Join(dl19Dir, "corpus.jsonl")
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(info.Size())
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := ForEachDocument(path, func(Document) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != 5000 {
			b.Fatalf("read %d documents", n)
		}
	}
}

// BenchmarkReadRun parses a 100-query × 1000-document run.
func BenchmarkReadRun(b *testing.B) {
	run := Run{}
	for q := range 100 {
		qid := "q" + strconv.Itoa(q)
		for d := range 1000 {
			run[qid] = append(run[qid], RunEntry{DocID: "d" + strconv.Itoa(d), Score: float64(d) / 7})
		}
	}
	path := filepath.Join(b.TempDir(), "run.trec")
	if err := WriteRun(path, run, "bench"); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRun(path); err != nil {
			b.Fatal(err)
		}
	}
}
