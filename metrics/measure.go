package metrics

import "strconv"

// Measure names a retrieval measure by its trec_eval name, with the cut-off
// (if any) after an underscore: "map", "P_10", "ndcg_cut_10". The cut-off
// families accept any positive k. Use ParseMeasure to turn user input,
// including aliases such as "nDCG@10", into a Measure.
type Measure string

// Measures without a cut-off, and the cut-off measures most often reported.
const (
	NumRet     Measure = "num_ret"     // documents retrieved (summary: sum)
	NumRel     Measure = "num_rel"     // relevant documents judged (summary: sum)
	NumRelRet  Measure = "num_rel_ret" // relevant documents retrieved (summary: sum)
	MAP        Measure = "map"         // average precision
	RecipRank  Measure = "recip_rank"  // reciprocal rank of the first relevant document
	NDCG       Measure = "ndcg"        // nDCG over the whole ranking
	MRR10      Measure = "recip_rank_cut_10"
	NDCG10     Measure = "ndcg_cut_10"
	P10        Measure = "P_10"
	Recall100  Measure = "recall_100"
	Recall1000 Measure = "recall_1000"
)

// PrecisionAt returns P_k: relevant documents in the top k, divided by k.
func PrecisionAt(k int) Measure { return family(famP).at(k) }

// RecallAt returns recall_k: relevant documents in the top k, divided by num_rel.
func RecallAt(k int) Measure { return family(famRecall).at(k) }

// NDCGCut returns ndcg_cut_k: nDCG of the top k against the ideal top k.
func NDCGCut(k int) Measure { return family(famNDCGCut).at(k) }

// RecipRankCut returns recip_rank_cut_k: 1/rank of the first relevant
// document if it is within the top k, else 0 (MRR@k, ir_measures' RR@k).
func RecipRankCut(k int) Measure { return family(famRecipRankCut).at(k) }

// family identifies a measure's computation. Its order is trec_eval's
// printing order (measures.c), with recip_rank_cut placed after recip_rank.
type family uint8

const (
	famNumRet family = iota
	famNumRel
	famNumRelRet
	famMAP
	famRecipRank
	famRecipRankCut
	famP
	famRecall
	famNDCG
	famNDCGCut

	famNone family = 255 // no family (alias tables only)
)

// familyNames are the trec_eval names; cut-off families take a "_k" suffix.
var familyNames = [...]string{
	famNumRet:       "num_ret",
	famNumRel:       "num_rel",
	famNumRelRet:    "num_rel_ret",
	famMAP:          "map",
	famRecipRank:    "recip_rank",
	famRecipRankCut: "recip_rank_cut",
	famP:            "P",
	famRecall:       "recall",
	famNDCG:         "ndcg",
	famNDCGCut:      "ndcg_cut",
}

// hasCutoff reports whether the family takes a cut-off k.
func (f family) hasCutoff() bool {
	return f == famRecipRankCut || f == famP || f == famRecall || f == famNDCGCut
}

// isCount reports whether the family is a document count, whose trec_eval
// summary is the sum over queries rather than the mean.
func (f family) isCount() bool {
	return f == famNumRet || f == famNumRel || f == famNumRelRet
}

func (f family) at(k int) Measure {
	return Measure(familyNames[f] + "_" + strconv.Itoa(k))
}

// spec is a parsed measure: its family and cut-off (0 when none).
type spec struct {
	fam family
	k   int
}

func (s spec) name() Measure {
	if s.fam.hasCutoff() {
		return s.fam.at(s.k)
	}
	return Measure(familyNames[s.fam])
}

// less orders specs as trec_eval prints them: by family, then by cut-off.
func (s spec) less(t spec) bool {
	if s.fam != t.fam {
		return s.fam < t.fam
	}
	return s.k < t.k
}
