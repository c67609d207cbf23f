package tokenizer

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/distill-ml/distill/internal/cputime"
)

// readTexts returns the "text" fields of a BEIR jsonl file.
func readTexts(tb testing.TB, path string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var rec struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			tb.Fatal(err)
		}
		out = append(out, rec.Text)
	}
	return out
}

const (
	passagesPath = "../data/trec-dl19-passage-subset/corpus.jsonl"
	queriesPath  = "../data/trec-dl19-passage-subset/queries.jsonl"
)

// BenchmarkTokenize measures word-piece tokenization of the MS MARCO
// passages (one op = one passage).
func BenchmarkTokenize(b *testing.B) {
	tok := loadBERT(b)
	texts := readTexts(b, passagesPath)
	var ids []int32
	tokens := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ids = tok.AppendTokens(ids[:0], texts[i%len(texts)])
		tokens += len(ids)
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkEncodePair measures query-passage pair encoding at 256 positions
// from raw strings, reusing the output encoding.
func BenchmarkEncodePair(b *testing.B) {
	tok := loadBERT(b)
	docs := readTexts(b, passagesPath)
	queries := readTexts(b, queriesPath)
	var e Encoding
	tokens := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tok.EncodePairTo(&e, queries[i%len(queries)], docs[i%len(docs)], 256)
		tokens += e.Len()
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkBuildPair measures pair assembly from cached ids, the teacher's
// inner loop.
func BenchmarkBuildPair(b *testing.B) {
	tok := loadBERT(b)
	docs := readTexts(b, passagesPath)[:500]
	queries := readTexts(b, queriesPath)
	docIDs := make([][]int32, len(docs))
	for i, d := range docs {
		docIDs[i] = tok.Tokenize(d)
	}
	qIDs := make([][]int32, len(queries))
	for i, q := range queries {
		qIDs[i] = tok.Tokenize(q)
	}
	var e Encoding
	tokens := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tok.BuildPairTo(&e, qIDs[i%len(qIDs)], docIDs[i%len(docIDs)], 256)
		tokens += e.Len()
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkTokenizeParallel measures tokenization from GOMAXPROCS goroutines
// sharing one Tokenizer.
func BenchmarkTokenizeParallel(b *testing.B) {
	tok := loadBERT(b)
	texts := readTexts(b, passagesPath)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var ids []int32
		for i := 0; pb.Next(); i++ {
			ids = tok.AppendTokens(ids[:0], texts[i%len(texts)])
		}
	})
}

// BenchmarkFamilies measures tokenization of the MS MARCO passages by each
// tokenizer family (one op = one passage), in tokens per second on one
// goroutine, and per CPU-second of the whole process (GC included), the
// figure a loaded machine distorts least. The nocache runs switch the word cache off, so every word pays
// for its merges or Viterbi pass (the first sight of a word).
func BenchmarkFamilies(b *testing.B) {
	texts := readTexts(b, passagesPath)
	var runs []string
	for _, fam := range families {
		runs = append(runs, fam, fam+"/nocache")
	}
	for _, run := range append([]string{"bert-base-uncased"}, runs...) {
		b.Run(run, func(b *testing.B) {
			fam, nocache := strings.CutSuffix(run, "/nocache")
			tok := loadFamily(b, fam)
			if nocache {
				tok.gen.cache = nil
			}
			var ids []int32
			tokens := 0
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cputime.Process()
			for i := 0; b.Loop(); i++ {
				ids = tok.AppendTokens(ids[:0], texts[i%len(texts)])
				tokens += len(ids)
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
			if used := cputime.Process() - cpu; used > 0 {
				b.ReportMetric(float64(tokens)/used.Seconds(), "tokens/cpu-s")
			}
		})
	}
}
