package bm25

import "slices"

// englishStopwords is Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.
var englishStopwords = map[string]struct{}{
	"a": {}, "an": {}, "and": {}, "are": {}, "as": {}, "at": {}, "be": {},
	"but": {}, "by": {}, "for": {}, "if": {}, "in": {}, "into": {}, "is": {},
	"it": {}, "no": {}, "not": {}, "of": {}, "on": {}, "or": {}, "such": {},
	"that": {}, "the": {}, "their": {}, "then": {}, "there": {}, "these": {},
	"they": {}, "this": {}, "to": {}, "was": {}, "will": {}, "with": {},
}

// maxStopwordLen is the length of the longest English stop word ("there").
const maxStopwordLen = 5

// EnglishStopwords returns, sorted, the 33 words of Lucene's English stop set
// (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET) that the Analyzer removes.
func EnglishStopwords() []string {
	words := make([]string, 0, len(englishStopwords))
	for w := range englishStopwords {
		words = append(words, w)
	}
	slices.Sort(words)
	return words
}

// isStopword reports whether the lowercased token b is an English stop word.
func isStopword(b []byte) bool {
	if len(b) > maxStopwordLen {
		return false // most terms: skip the hash
	}
	_, ok := englishStopwords[string(b)]
	return ok
}
