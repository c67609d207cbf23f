package bm25

import (
	"math"
	"slices"
	"testing"

	"github.com/distill-ml/distill/datasets"
)

// qrels maps query id → document id → graded relevance (> 0 only).
type qrels map[string]map[string]int

// ndcgAt is trec_eval's nDCG@k: gain = grade, discount log2(rank + 1), the
// ideal ranking built from all judged documents of the query.
func ndcgAt(hits []datasets.Hit, judged map[string]int, k int) float64 {
	dcg := 0.0
	for i, h := range hits[:min(k, len(hits))] {
		dcg += float64(judged[h.DocID]) / math.Log2(float64(i+2))
	}
	ideal := idealDCG(judged, k)
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

func idealDCG(judged map[string]int, k int) float64 {
	grades := make([]int, 0, len(judged))
	for _, g := range judged {
		grades = append(grades, g)
	}
	slices.Sort(grades)
	slices.Reverse(grades)
	dcg := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		dcg += float64(g) / math.Log2(float64(i+2))
	}
	return dcg
}

// rrAt is the reciprocal rank of the first hit with grade ≥ minGrade within
// the top k, or 0.
func rrAt(hits []datasets.Hit, judged map[string]int, k, minGrade int) float64 {
	for i, h := range hits[:min(k, len(hits))] {
		if judged[h.DocID] >= minGrade {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// randomNDCGAt is the expected nDCG@k of a uniformly random ranking of n
// documents: every rank holds, on average, the mean grade over the corpus.
func randomNDCGAt(judged map[string]int, n, k int) float64 {
	sum := 0
	for _, g := range judged {
		sum += g
	}
	disc := 0.0
	for i := range min(k, n) {
		disc += 1 / math.Log2(float64(i+2))
	}
	return disc * float64(sum) / float64(n) / idealDCG(judged, k)
}

// randomRRAt is the expected reciprocal rank within the top k of a random
// ranking of n documents of which r are relevant: the first relevant
// document is at rank i with probability Π_{j<i-1} (n-r-j)/(n-j) · r/(n-i+1).
func randomRRAt(r, n, k int) float64 {
	rr, missSoFar := 0.0, 1.0
	for i := 1; i <= min(k, n); i++ {
		rr += missSoFar * float64(r) / float64(n-i+1) / float64(i)
		missSoFar *= float64(n-r-i+1) / float64(n-i+1)
	}
	return rr
}

func TestMetricHelpers(t *testing.T) {
	judged := map[string]int{"a": 3, "b": 1}
	perfect := []datasets.Hit{{DocID: "a", Score: 2}, {DocID: "b", Score: 1}}
	if got := ndcgAt(perfect, judged, 10); math.Abs(got-1) > 1e-12 {
		t.Errorf("perfect nDCG = %v", got)
	}
	// Swapped: (1/1 + 3/log2 3) / (3/1 + 1/log2 3) = 2.892789 / 3.630930 = 0.796708.
	if got := ndcgAt([]datasets.Hit{{DocID: "b", Score: 2}, {DocID: "a", Score: 1}}, judged, 10); math.Abs(got-0.7967076) > 1e-6 {
		t.Errorf("swapped nDCG = %v", got)
	}
	if got := rrAt([]datasets.Hit{{DocID: "x", Score: 3}, {DocID: "b", Score: 2}, {DocID: "a", Score: 1}}, judged, 10, 2); got != 1.0/3 {
		t.Errorf("RR = %v", got)
	}
	// One relevant document among n: it lands in the top k with probability
	// k/n, at each rank with probability 1/n: E[RR@k] = H(k)/n.
	if got, want := randomRRAt(1, 100, 3), (1+0.5+1.0/3)/100; math.Abs(got-want) > 1e-12 {
		t.Errorf("randomRRAt(1, 100, 3) = %v, want %v", got, want)
	}
	if got := randomRRAt(5, 5, 10); math.Abs(got-1) > 1e-12 {
		t.Errorf("randomRRAt(5, 5, 10) = %v, want 1", got)
	}
	// Two documents, both judged: a random ranking averages the orders.
	if got, want := randomNDCGAt(judged, 2, 10), (1+0.7967076)/2; math.Abs(got-want) > 1e-6 {
		t.Errorf("randomNDCGAt = %v, want %v", got, want)
	}
}
