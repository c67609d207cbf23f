package bm25

import (
	"context"
	"testing"
)

// benchCorpus loads the TREC-DL 2019 subset (5,000 passages, 50 queries
// of which 43 judged) once per benchmark.
func benchCorpus(b *testing.B) (docs, queries []document) {
	docs, queries, _ = loadBEIR(b, msmarcoDir)
	return docs, queries
}

func buildIndex(b *testing.B, docs []document) *Index {
	ix, err := NewIndex(DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range docs {
		if err := ix.Add(d.id, d.text); err != nil {
			b.Fatal(err)
		}
	}
	return ix
}

func BenchmarkIndexBuild(b *testing.B) {
	docs, _ := benchCorpus(b)
	b.ReportAllocs()
	for b.Loop() {
		buildIndex(b, docs)
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkAnalyze(b *testing.B) {
	docs, _ := benchCorpus(b)
	var a Analyzer
	terms := make([]string, 0, 512)
	bytes := 0
	for _, d := range docs[:100] {
		bytes += len(d.text)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs[:100] {
			terms = a.AppendTerms(terms[:0], d.text)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	docs, queries := benchCorpus(b)
	ix := buildIndex(b, docs)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		ix.Search(queries[n%len(queries)].text, 1000)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "queries/s")
}

func BenchmarkSearchTop10(b *testing.B) {
	docs, queries := benchCorpus(b)
	ix := buildIndex(b, docs)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		ix.Search(queries[n%len(queries)].text, 10)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "queries/s")
}

func BenchmarkSearchAll(b *testing.B) {
	docs, queries := benchCorpus(b)
	ix := buildIndex(b, docs)
	texts := make([]string, len(queries))
	for i, q := range queries {
		texts[i] = q.text
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.SearchAll(context.Background(), texts, 1000, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "queries/s")
}
