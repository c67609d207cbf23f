package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// refResRels transliterates trec_eval's te_form_res_rels (form_res_rels.c):
// sort by sim descending then docno descending, cut at maxRet, look up
// judgements (-1 not in qrels, -2 negative), count rel_levels over all
// non-negative judgements and num_rel over those ≥ level.
type refResRels struct {
	rels      []int
	relLevels []int // count of judged docs per level 0..max
	numRel    int
}

func refFormResRels(entries []datasets.RunEntry, judged map[string]int, level, maxRet int) refResRels {
	type docnoInfo struct {
		docno string
		sim   float64
	}
	var info []docnoInfo
	seen := map[string]bool{}
	for _, e := range entries { // duplicates: keep first (trec_eval errors)
		if !seen[e.DocID] {
			seen[e.DocID] = true
			info = append(info, docnoInfo{e.DocID, e.Score})
		}
	}
	sort.Slice(info, func(i, j int) bool { // comp_sim_docno
		if info[i].sim != info[j].sim {
			return info[i].sim > info[j].sim
		}
		return strings.Compare(info[j].docno, info[i].docno) < 0
	})
	if maxRet > 0 && len(info) > maxRet {
		info = info[:maxRet]
	}
	var rr refResRels
	for _, d := range info {
		rel, ok := judged[d.docno]
		switch {
		case !ok:
			rel = -1
		case rel < 0:
			rel = -2
		}
		rr.rels = append(rr.rels, rel)
	}
	maxRel := 0
	for _, rel := range judged {
		maxRel = max(maxRel, rel)
	}
	rr.relLevels = make([]int, maxRel+1)
	for _, rel := range judged {
		if rel >= 0 {
			rr.relLevels[rel]++
		}
	}
	for i, c := range rr.relLevels {
		if i >= level {
			rr.numRel += c
		}
	}
	return rr
}

// refNDCGCut transliterates m_ndcg_cut.c for one cut-off (k = 0: m_ndcg.c with
// default gains, which walks the same level counts without a cut).
func refNDCGCut(rr refResRels, k int) float64 {
	sum := 0.0
	for i, rel := range rr.rels {
		if k > 0 && i == k {
			break
		}
		if gain := float64(rel); gain > 0 {
			sum += gain / math.Log2(float64(i+2))
		}
	}
	curLvl := len(rr.relLevels) - 1
	for curLvl > 0 && rr.relLevels[curLvl] == 0 { // num_rel_levels-1
		curLvl--
	}
	lvlCount, ideal := 0, 0.0
	for i := 0; ; i++ {
		lvlCount++
		for curLvl > 0 && lvlCount > rr.relLevels[curLvl] {
			curLvl--
			lvlCount = 1
		}
		if curLvl <= 0 || (k > 0 && i == k) {
			break
		}
		ideal += float64(curLvl) / math.Log2(float64(i+2))
	}
	if ideal > 0 {
		return sum / ideal
	}
	return sum
}

func refValue(rr refResRels, s spec, level int) float64 {
	relSoFar := func(k int) (n int) {
		for i, rel := range rr.rels {
			if i < k && rel >= level {
				n++
			}
		}
		return n
	}
	switch s.fam {
	case famNumRet:
		return float64(len(rr.rels))
	case famNumRel:
		return float64(rr.numRel)
	case famNumRelRet:
		return float64(relSoFar(len(rr.rels)))
	case famMAP:
		found, sum := 0, 0.0
		for i, rel := range rr.rels {
			if rel >= level {
				found++
				sum += float64(found) / float64(i+1)
			}
		}
		if found == 0 {
			return 0
		}
		return sum / float64(rr.numRel)
	case famRecipRank, famRecipRankCut:
		for i, rel := range rr.rels {
			if s.k > 0 && i >= s.k {
				break
			}
			if rel >= level {
				return 1 / float64(i+1)
			}
		}
		return 0
	case famP:
		return float64(relSoFar(s.k)) / float64(s.k)
	case famRecall:
		if rr.numRel == 0 {
			return 0
		}
		return float64(relSoFar(s.k)) / float64(rr.numRel)
	case famNDCG:
		return refNDCGCut(rr, 0)
	case famNDCGCut:
		return refNDCGCut(rr, s.k)
	}
	panic("unreachable")
}

// randomCase makes a run and qrels with many score ties, duplicates,
// unjudged and negatively judged documents, and graded levels 0..4.
func randomCase(rng *rand.Rand, queries, docs int) (datasets.Run, datasets.Qrels) {
	run, qrels := datasets.Run{}, datasets.Qrels{}
	for q := range queries {
		qid := fmt.Sprintf("q%d", q)
		if rng.IntN(8) != 0 {
			judged := map[string]int{}
			for range rng.IntN(12) + 1 {
				judged[fmt.Sprintf("d%d", rng.IntN(docs*2))] = rng.IntN(6) - 1
			}
			qrels[qid] = judged
		}
		if rng.IntN(8) != 0 {
			for range rng.IntN(docs) + 1 {
				d := fmt.Sprintf("d%d", rng.IntN(docs*2))
				run[qid] = append(run[qid], datasets.RunEntry{QueryID: qid, DocID: d, Score: float64(rng.IntN(5))})
			}
		}
	}
	return run, qrels
}

// TestEvaluateMatchesTrecEvalReference compares Evaluate with a line-by-line
// transliteration of trec_eval's C loops on random inputs.
func TestEvaluateMatchesTrecEvalReference(t *testing.T) {
	measures := []Measure{NumRet, NumRel, NumRelRet, MAP, RecipRank, RecipRankCut(3),
		PrecisionAt(1), PrecisionAt(5), P10, RecallAt(5), Recall100, NDCG, NDCGCut(1), NDCGCut(3), NDCG10}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		run, qrels := randomCase(rng, 6, 15)
		opts := Options{RelevanceLevel: rng.IntN(3), CompleteQueries: rng.IntN(2) == 0, MaxRetrieved: rng.IntN(3) * 4}
		res, err := Evaluate(run, qrels, measures, opts)
		if err == ErrNoQueries {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		level := res.Options.RelevanceLevel
		for _, qid := range res.QueryIDs {
			rr := refFormResRels(run[qid], qrels[qid], level, opts.MaxRetrieved)
			for _, m := range measures {
				s, _ := parseSpec(string(m))
				want := refValue(rr, s, level)
				if got := res.PerQuery[qid][m]; math.Abs(got-want) > 1e-12 {
					t.Fatalf("trial %d %s %s opts %+v: got %v, want %v\nrun %v\nqrels %v",
						trial, qid, m, opts, got, want, run[qid], qrels[qid])
				}
			}
		}
	}
}
