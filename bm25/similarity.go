package bm25

import "math"

// IDF is Lucene's BM25 inverse document frequency of a term found in
// docFreq of docCount documents:
//
//	idf = ln(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5))
//
// It is always positive, unlike the Robertson-Spärck Jones idf, which goes
// negative for terms in more than half the documents.
func IDF(docFreq, docCount int) float64 {
	return math.Log(1 + (float64(docCount-docFreq)+0.5)/(float64(docFreq)+0.5))
}

// TermFrequencyWeight is the BM25 weight of a term occurring tf times in a
// document of docLen terms, where documents average avgDocLen terms:
//
//	tf / (tf + k1 · (1 - b + b · docLen/avgDocLen))
//
// A term's score is IDF times this weight; the weight lies in [0, 1) and
// grows with tf. Lucene 8+ omits the textbook (k1 + 1) factor in the
// numerator, which would scale every score alike.
//
// Special cases: a zero avgDocLen disables length normalization; k1 = 0
// gives weight 1 for any tf > 0.
func (p Params) TermFrequencyWeight(tf, docLen, avgDocLen float64) float64 {
	if tf <= 0 {
		return 0
	}
	return tf / (tf + p.lengthNorm(avgDocLen).at(docLen))
}

// lengthNorm is k1·(1 - b + b·dl/avgdl) as constant + slope·dl, so that a
// search computes it with one multiply-add per posting.
type lengthNorm struct{ constant, slope float64 }

func (p Params) lengthNorm(avgDocLen float64) lengthNorm {
	if avgDocLen <= 0 {
		return lengthNorm{constant: p.K1}
	}
	return lengthNorm{constant: p.K1 * (1 - p.B), slope: p.K1 * p.B / avgDocLen}
}

func (n lengthNorm) at(docLen float64) float64 { return n.constant + n.slope*docLen }
