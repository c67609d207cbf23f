package bm25

import (
	"slices"
	"testing"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"doc example", "The Fahrenheit scale's 1,000 degrees weren't measured.",
			[]string{"fahrenheit", "scale", "1,000", "degre", "weren't", "measur"}},
		{"stop words removed", "This is the end of it, and that was that",
			[]string{"end"}},
		{"all 33 stop words", "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with",
			nil},
		{"stop words case-insensitive", "THE Cat IN The Hat", []string{"cat", "hat"}},
		{"near stop words kept and stemmed", "they'll these' thee themselves", []string{"they'll", "thee", "themselv"}},
		{"possessives", "John's dog's O\u2019Neil\u2019s JAMES'S", []string{"john", "dog", "o\u2019neil", "jame"}},
		{"possessive then stop word", "It's", []string{}},
		{"stemming", "Running runners ran quickly; generalizations relational ponies",
			[]string{"run", "runner", "ran", "quickli", "gener", "relat", "poni"}},
		{"punctuation", "Hello!!! (world) -- [test] {x} <y> \"quoted\"",
			[]string{"hello", "world", "test", "x", "y", "quot"}},
		{"numbers", "3.5 million, 1,000 people in 2019; ratio 2:1",
			[]string{"3.5", "million", "1,000", "peopl", "2019", "ratio", "2", "1"}},
		{"unicode letters lowercased", "ÄRGER Über CAFÉS Αθήνα",
			[]string{"ärger", "über", "café", "αθήνα"}},
		{"dotted acronym", "U.S. citizens", []string{"u.", "citizen"}},
		{"query", "causes of left ventricular hypertrophy",
			[]string{"caus", "left", "ventricular", "hypertrophi"}},
		{"query 2", "anthropological definition of environment",
			[]string{"anthropolog", "definit", "environ"}},
	}
	var a Analyzer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Analyze(tt.text)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestAnalyzerOptions(t *testing.T) {
	text := "The Runners' running"
	tests := []struct {
		a    Analyzer
		want []string
	}{
		{Analyzer{}, []string{"runner", "run"}},
		{Analyzer{KeepStopwords: true}, []string{"the", "runner", "run"}},
		{Analyzer{NoStem: true}, []string{"runners", "running"}},
		{Analyzer{KeepStopwords: true, NoStem: true}, []string{"the", "runners", "running"}},
	}
	for _, tt := range tests {
		if got := tt.a.Analyze(text); !slices.Equal(got, tt.want) {
			t.Errorf("%+v.Analyze(%q) = %q, want %q", tt.a, text, got, tt.want)
		}
	}
}

func TestEnglishStopwords(t *testing.T) {
	got := EnglishStopwords()
	if len(got) != 33 || got[0] != "a" || got[32] != "with" || !slices.IsSorted(got) {
		t.Errorf("EnglishStopwords() = %q", got)
	}
	for _, w := range got {
		if len(w) > maxStopwordLen || !isStopword([]byte(w)) {
			t.Errorf("stop word %q: longer than maxStopwordLen or not recognized", w)
		}
	}
}

func TestAppendTermsReusesSlice(t *testing.T) {
	var a Analyzer
	buf := make([]string, 0, 16)
	buf = a.AppendTerms(buf, "hello world")
	buf = a.AppendTerms(buf, "worlds")
	if want := []string{"hello", "world", "world"}; !slices.Equal(buf, want) {
		t.Errorf("got %q, want %q", buf, want)
	}
}
