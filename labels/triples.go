package labels

import (
	"math/rand"
	"sort"
)

// Triple is one Margin-MSE training example (Hofstätter et al. 2020): a query,
// a positive and a negative document, and the teacher's margin
// score(q, pos) − score(q, neg).
type Triple struct {
	QueryID    string
	PositiveID string
	NegativeID string
	Margin     float32
	// PositiveScore and NegativeScore are the teacher's raw scores.
	PositiveScore, NegativeScore float32
}

// TripleOptions controls how triples are drawn from a row.
type TripleOptions struct {
	// Relevant, when non-nil, names the judged relevant documents of each
	// query (query id → doc id → relevance); the positive is then the judged
	// relevant candidate the teacher scores highest, and queries without one
	// yield no triples. When nil, the positive is the teacher's best candidate.
	Relevant map[string]map[string]int
	// MinRelevance is the judgement a document needs to count as relevant
	// (default 1).
	MinRelevance int
	// Negatives is the number of negatives per query, sampled without
	// replacement from the other candidates; 0 takes all of them.
	Negatives int
	// Rand draws the negatives; nil means the candidates in score order.
	Rand *rand.Rand
	// AllPositives, with Relevant, makes a triple set for every judged
	// relevant candidate instead of only the best-scored one (each with its
	// own Negatives draw): what fine-tuning on judgements wants.
	AllPositives bool
}

// Triples builds triples from one row of labels.
func Triples(r Row, opts TripleOptions) []Triple {
	if len(r.DocumentIDs) < 2 {
		return nil
	}
	if opts.AllPositives && opts.Relevant != nil {
		return allPositiveTriples(r, opts)
	}
	minRel := opts.MinRelevance
	if minRel == 0 {
		minRel = 1
	}
	pos := -1
	for i, d := range r.DocumentIDs {
		if opts.Relevant != nil && opts.Relevant[r.QueryID][d] < minRel {
			continue
		}
		if pos < 0 || r.Scores[i] > r.Scores[pos] {
			pos = i
		}
	}
	if pos < 0 {
		return nil
	}
	var negs []int
	for i, d := range r.DocumentIDs {
		if i == pos {
			continue
		}
		if opts.Relevant != nil && opts.Relevant[r.QueryID][d] >= minRel {
			continue // another judged relevant document is no negative
		}
		negs = append(negs, i)
	}
	// Deterministic base order: teacher score descending, then position.
	sort.SliceStable(negs, func(a, b int) bool { return r.Scores[negs[a]] > r.Scores[negs[b]] })
	if opts.Rand != nil {
		opts.Rand.Shuffle(len(negs), func(a, b int) { negs[a], negs[b] = negs[b], negs[a] })
	}
	if opts.Negatives > 0 && opts.Negatives < len(negs) {
		negs = negs[:opts.Negatives]
	}
	out := make([]Triple, 0, len(negs))
	for _, n := range negs {
		out = append(out, Triple{
			QueryID: r.QueryID, PositiveID: r.DocumentIDs[pos], NegativeID: r.DocumentIDs[n],
			Margin:        r.Scores[pos] - r.Scores[n],
			PositiveScore: r.Scores[pos], NegativeScore: r.Scores[n],
		})
	}
	return out
}

// allPositiveTriples makes Triples' set once per judged relevant candidate.
func allPositiveTriples(r Row, opts TripleOptions) []Triple {
	minRel := max(opts.MinRelevance, 1)
	var out []Triple
	for i, d := range r.DocumentIDs {
		if opts.Relevant[r.QueryID][d] < minRel {
			continue
		}
		// Keep only this positive among the judged relevant candidates.
		one := Row{QueryID: r.QueryID}
		for j, e := range r.DocumentIDs {
			if j == i || opts.Relevant[r.QueryID][e] < minRel {
				one.DocumentIDs = append(one.DocumentIDs, e)
				one.Scores = append(one.Scores, r.Scores[j])
			}
		}
		o := opts
		o.AllPositives = false
		o.Relevant = map[string]map[string]int{r.QueryID: {d: minRel}}
		out = append(out, Triples(one, o)...)
	}
	return out
}
