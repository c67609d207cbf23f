package bm25

import "math"

// Params configures an Index.
type Params struct {
	// K1 controls term-frequency saturation: 0 scores every matching term
	// as present/absent, larger values let repeated terms count for more.
	// Must be finite and ≥ 0. Default 0.9.
	K1 float64
	// B controls document-length normalization, from 0 (none) to 1 (full).
	// Default 0.4.
	B float64
	// QuantizeLength stores each document length in one byte with Lucene's
	// SmallFloat.intToByte4 and scores with the decoded length, as Lucene
	// and Anserini do; lengths of 24 terms or more lose up to about 1/9 of
	// their value. The collection's average length stays exact, as in
	// Lucene. Default true.
	QuantizeLength bool
	// Analyzer turns documents and queries into terms. The zero value is
	// Lucene's EnglishAnalyzer.
	Analyzer Analyzer
}

// DefaultParams returns k1 = 0.9, b = 0.4 (Anserini's MS MARCO settings),
// Lucene's one-byte length encoding and the English analyzer.
func DefaultParams() Params {
	return Params{K1: 0.9, B: 0.4, QuantizeLength: true}
}

// Validate returns a *ParamError if K1 or B is out of range.
func (p Params) Validate() error {
	if math.IsNaN(p.K1) || math.IsInf(p.K1, 0) || p.K1 < 0 {
		return &ParamError{Field: "K1", Value: p.K1, Want: "finite and ≥ 0"}
	}
	if math.IsNaN(p.B) || p.B < 0 || p.B > 1 {
		return &ParamError{Field: "B", Value: p.B, Want: "between 0 and 1"}
	}
	return nil
}
