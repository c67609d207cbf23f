package training

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bm25"
	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
)

// PseudoQueryKinds names the pseudo-queries PseudoQueries samples: a
// document's title, one of its sentences, a random span of its words
// (inverse cloze / cropping), or any of the three ("mixed").
var PseudoQueryKinds = []string{"title", "sentence", "span", "mixed"}

// WeakLosses names the losses of the weak phase: pairwise-ce (BM25's top
// --weak-positives documents against lower-ranked candidates, Dehghani et
// al.'s rank model) or marginmse (the cross-encoder's margins regress on
// BM25's score margins, their score model).
var WeakLosses = []string{"pairwise-ce", "marginmse"}

// Pseudo-query lengths in words.
const (
	spanMinWords     = 4  // shortest span, and shortest sentence taken
	spanMaxWords     = 16 // longest span
	sentenceMaxWords = 32 // longer sentences are cut to their first words
)

var sentenceEnd = regexp.MustCompile(`[.!?;]+(\s+|$)`)

// PseudoQueries samples n pseudo-queries from docs, deterministically from
// seed: documents are visited in seeded permutations, one query per visit,
// of the given kind (for "mixed", a kind drawn per query). A title is taken
// whole; a sentence is one of the body's sentences of at least 4 words,
// cut to 32; a span is 4–16 consecutive words of the body. Documents that
// cannot give the kind (no title, too short a body) are passed over. The
// queries are named pq000001…; source maps each to the document it came
// from. It fails when the corpus cannot give n queries of the kind.
func PseudoQueries(docs []datasets.Document, n int, kind string, seed uint64) (queries []datasets.Query, source map[string]string, err error) {
	if !slices.Contains(PseudoQueryKinds, kind) {
		return nil, nil, fmt.Errorf("%w: pseudo-query kind %q, want one of %v", ErrConfig, kind, PseudoQueryKinds)
	}
	if n < 1 || len(docs) == 0 {
		return nil, nil, fmt.Errorf("%w: %d pseudo-queries from %d documents", ErrConfig, n, len(docs))
	}
	r := rand.New(rand.NewPCG(seed, 0x7073657564)) // "pseud"
	source = map[string]string{}
	var perm []int
	misses := 0
	for visit := 0; len(queries) < n; visit++ {
		if visit%len(docs) == 0 {
			if visit > 0 && misses == len(docs) {
				break // a whole pass gave nothing
			}
			perm, misses = r.Perm(len(docs)), 0
		}
		d := docs[perm[visit%len(docs)]]
		k := kind
		if k == "mixed" {
			k = PseudoQueryKinds[r.IntN(3)]
		}
		text := pseudoQuery(r, d, k)
		if text == "" {
			misses++
			continue
		}
		id := fmt.Sprintf("pq%06d", len(queries)+1)
		queries = append(queries, datasets.Query{ID: id, Text: text})
		source[id] = d.ID
	}
	if len(queries) < n {
		return nil, nil, fmt.Errorf("training: the corpus gives %d pseudo-queries of kind %s, not %d", len(queries), kind, n)
	}
	return queries, source, nil
}

// pseudoQuery draws one pseudo-query of kind k from d, or "".
func pseudoQuery(r *rand.Rand, d datasets.Document, k string) string {
	switch k {
	case "title":
		return strings.Join(strings.Fields(d.Title), " ")
	case "sentence":
		var sents [][]string
		for _, s := range sentenceEnd.Split(d.Text, -1) {
			if w := strings.Fields(s); len(w) >= spanMinWords {
				sents = append(sents, w[:min(len(w), sentenceMaxWords)])
			}
		}
		if len(sents) == 0 {
			return ""
		}
		return strings.Join(sents[r.IntN(len(sents))], " ")
	default: // span
		words := strings.Fields(d.Text)
		if len(words) < spanMinWords {
			return ""
		}
		l := spanMinWords + r.IntN(min(spanMaxWords, len(words))-spanMinWords+1)
		start := r.IntN(len(words) - l + 1)
		return strings.Join(words[start:start+l], " ")
	}
}

// WeakOptions configure the weak-supervision phase of teacher fine-tuning.
type WeakOptions struct {
	Source        string  // "bm25": the only labeller
	PseudoQueries int     // how many
	Kind          string  // one of PseudoQueryKinds
	Steps         int     // optimizer steps of the weak phase
	Loss          string  // one of WeakLosses
	Depth         int     // BM25 candidates per pseudo-query
	Positives     int     // pairwise-ce: BM25's top this many are the positives
	LR            float64 // 0: the fine-tuning learning rate
}

// Validate reports the first option out of range.
func (w WeakOptions) Validate() error {
	switch {
	case w.Source != "bm25":
		return fmt.Errorf("%w: weak supervision %q, want bm25", ErrConfig, w.Source)
	case !slices.Contains(PseudoQueryKinds, w.Kind):
		return fmt.Errorf("%w: pseudo-query kind %q, want one of %v", ErrConfig, w.Kind, PseudoQueryKinds)
	case !slices.Contains(WeakLosses, w.Loss):
		return fmt.Errorf("%w: weak loss %q, want one of %v", ErrConfig, w.Loss, WeakLosses)
	case w.PseudoQueries < 1 || w.Steps < 1 || w.Depth < 2 || w.Positives < 1 || w.LR < 0:
		return fmt.Errorf("%w: weak phase with %d pseudo-queries, %d steps, depth %d, %d positives, lr %g (want ≥ 1, ≥ 1, ≥ 2, ≥ 1, ≥ 0)",
			ErrConfig, w.PseudoQueries, w.Steps, w.Depth, w.Positives, w.LR)
	}
	return nil
}

// WeakDir is the weak phase's run folder inside the fine-tuning run folder.
const WeakDir = "weak"

// weakValQueries is about how many pseudo-queries the weak phase holds out.
const weakValQueries = 32

// TrainWeak runs the weak-supervision phase of teacher fine-tuning
// (Dehghani et al. 2017, "Neural Ranking Models with Weak Supervision"): it
// samples pseudo-queries from c.Corpus, retrieves BM25's top w.Depth for
// each, and trains the cross-encoder c describes on BM25's ranking, in the
// run folder c.Out/weak (pseudo-queries.jsonl, bm25.run, qrels.tsv, the
// labels, checkpoints). c's model, batch and optimiser settings apply;
// w.Steps, w.Loss and w.LR replace its steps, loss and learning rate, and
// about 32 pseudo-queries are held out and validated at the start and the end. It returns the
// phase's result and its last checkpoint, from which the fine-tuning on
// judgements continues (--init-from). With opts.Resume a finished phase is
// kept as it is.
func TrainWeak(ctx context.Context, c Config, w WeakOptions, opts Options) (*Result, string, error) {
	if err := w.Validate(); err != nil {
		return nil, "", err
	}
	docs, err := datasets.ReadCorpus(c.Corpus)
	if err != nil {
		return nil, "", fmt.Errorf("training: weak phase: %w", err)
	}
	qs, _, err := PseudoQueries(docs, w.PseudoQueries, w.Kind, c.Seed)
	if err != nil {
		return nil, "", err
	}
	dir := filepath.Join(c.Out, WeakDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("training: %w", err)
	}
	wc := c
	wc.Out, wc.Steps, wc.Loss, wc.InitFrom = dir, w.Steps, w.Loss, c.InitFrom
	if w.LR > 0 {
		wc.LR = w.LR
	}
	wc.Queries = filepath.Join(dir, "pseudo-queries.jsonl")
	wc.Labels = filepath.Join(dir, "bm25-candidates")
	wc.ValFraction = min(c.ValFraction, float64(weakValQueries)/float64(w.PseudoQueries))
	wc.BestMetric, wc.EvalEvery = "auto", 0
	if err := datasets.WriteQueriesJSONL(wc.Queries, qs); err != nil {
		return nil, "", fmt.Errorf("training: weak phase: %w", err)
	}
	ix, err := bm25.NewIndex(bm25.DefaultParams())
	if err != nil {
		return nil, "", err
	}
	for _, d := range docs {
		if err := ix.Add(d.ID, d.FullText()); err != nil {
			return nil, "", fmt.Errorf("training: weak phase: BM25 index: %w", err)
		}
	}
	run, qrels, want := datasets.Run{}, datasets.Qrels{}, map[string]bool{}
	for _, q := range qs {
		want[q.ID] = true
		for i, h := range ix.Search(q.Text, w.Depth) {
			run[q.ID] = append(run[q.ID], datasets.RunEntry{QueryID: q.ID, DocID: h.DocID, Rank: i + 1, Score: h.Score})
			if i < w.Positives {
				if qrels[q.ID] == nil {
					qrels[q.ID] = map[string]int{}
				}
				qrels[q.ID][h.DocID] = 1
			}
		}
	}
	if err := datasets.WriteRun(filepath.Join(dir, "bm25.run"), run, "bm25"); err != nil {
		return nil, "", fmt.Errorf("training: weak phase: %w", err)
	}
	wc.Qrels = ""
	var labelQrels datasets.Qrels
	if w.Loss == "pairwise-ce" { // BM25's top documents stand in for judgements
		wc.Qrels, labelQrels = filepath.Join(dir, "qrels.tsv"), qrels
		wc.AllPositives = true
		if err := datasets.WriteQrelsTREC(wc.Qrels, qrels); err != nil {
			return nil, "", fmt.Errorf("training: weak phase: %w", err)
		}
	}
	m, err := CandidateLabels(run, labelQrels, want, w.Depth, wc.Labels)
	if err != nil {
		return nil, "", fmt.Errorf("training: weak phase: %w", err)
	}
	if opts.Log != nil {
		opts.Log.Info("weak supervision", zap.String("labeller", w.Source), zap.String("kind", w.Kind), zap.Int("pseudo_queries", m.Queries),
			zap.Int("candidates", m.Pairs), zap.String("loss", w.Loss), zap.Int("steps", w.Steps), zap.String("out", dir))
	}
	if err := wc.Validate(); err != nil {
		return nil, "", err
	}
	opts.OwnFiles = []string{"pseudo-queries.jsonl", "bm25-candidates", "bm25.run", "qrels.tsv"}
	res, err := Train(ctx, wc, opts)
	if err != nil {
		return res, "", err
	}
	last, err := checkpoints.Resolve(dir)
	return res, last, err
}
