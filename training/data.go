package training

import (
	"encoding/json"
	"fmt"
	mrand "math/rand"
	"math/rand/v2"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/ranker"
)

// Data is a run's training and validation material, tokenised.
type Data struct {
	Train                        []Example    // training examples in their base order
	Val                          []labels.Row // held-out queries' labels
	ValTriples                   []labels.Triple
	Queries                      map[string][]int32 // query id → token ids
	Docs                         map[string][]int32 // document id → token ids
	Qrels                        datasets.Qrels     // nil without judgements
	QrelsSHA256                  string             // of the qrels file's bytes, "" without judgements
	Provenance                   labels.Provenance
	TrainQueries, SkippedQueries int
}

// Example is one training example: the triples of one query that share its
// positive (one triple, or KLNegatives for the kldiv loss).
type Example []labels.Triple

// LoadData reads the labels, splits their queries, builds the triples and
// tokenises every query and document they use.
func LoadData(c Config, enc *ranker.Encoder) (*Data, error) {
	set, err := labels.Open(c.Labels, true)
	if err != nil {
		return nil, fmt.Errorf("training: labels: %w", err)
	}
	rows, err := set.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("training: labels: %w", err)
	}
	d := &Data{Queries: map[string][]int32{}, Docs: map[string][]int32{}, Provenance: set.Manifest.Provenance}
	if c.Qrels != "" {
		if d.Qrels, err = datasets.ReadQrels(c.Qrels); err != nil {
			return nil, fmt.Errorf("training: qrels: %w", err)
		}
		if d.QrelsSHA256, err = fsutil.SHA256File(c.Qrels); err != nil {
			return nil, fmt.Errorf("training: qrels: %w", err)
		}
	}
	var relevant map[string]map[string]int
	if d.Qrels != nil {
		relevant = d.Qrels
	}
	trainRNG := mrand.New(mrand.NewSource(int64(c.Seed)))
	valRNG := mrand.New(mrand.NewSource(int64(c.Seed) + 1))
	k := c.groupSize()
	for _, r := range rows {
		if err := r.Validate(); err != nil {
			return nil, err
		}
		if datasets.InSplit(r.QueryID, c.Seed, c.ValFraction) {
			d.Val = append(d.Val, r)
			d.ValTriples = append(d.ValTriples, labels.Triples(r, labels.TripleOptions{Rand: valRNG})...)
			continue
		}
		ts := labels.Triples(r, labels.TripleOptions{Relevant: relevant, Negatives: c.Negatives, Rand: trainRNG, AllPositives: c.AllPositives})
		if len(ts) < k {
			d.SkippedQueries++
			continue
		}
		d.TrainQueries++
		for lo := 0; lo+k <= len(ts); lo += k {
			d.Train = append(d.Train, Example(ts[lo:lo+k]))
		}
	}
	if len(d.Train) == 0 {
		return nil, fmt.Errorf("training: no training examples in %s (%d queries, %d held out, %d without a positive or enough negatives)",
			c.Labels, len(rows), len(d.Val), d.SkippedQueries)
	}
	if err := d.tokenize(c, rows, enc); err != nil {
		return nil, err
	}
	return d, nil
}

// tokenize reads the texts of the queries and documents the rows use.
func (d *Data) tokenize(c Config, rows []labels.Row, enc *ranker.Encoder) error {
	wantQ, wantD := datasets.IDSet{}, datasets.IDSet{}
	for _, r := range rows {
		wantQ[r.QueryID] = struct{}{}
		for _, id := range r.DocumentIDs {
			wantD[id] = struct{}{}
		}
	}
	texts, err := datasets.ReadTexts(c.Queries, c.Corpus, datasets.TextWant{Queries: wantQ, Docs: wantD})
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	for q := range wantQ {
		text, ok := texts.Queries[q]
		if !ok {
			return fmt.Errorf("training: query %q of the labels is not in %s", q, c.Queries)
		}
		d.Queries[q] = enc.Query(text)
	}
	for id := range wantD {
		text, ok := texts.Docs[id]
		if !ok {
			return fmt.Errorf("training: document %q of the labels is not in %s", id, c.Corpus)
		}
		d.Docs[id] = enc.Doc(text)
	}
	return nil
}

// order gives the training examples of each step: epoch e visits the
// examples in a permutation drawn from (seed, e), so the examples of any
// step follow from the seed and the step alone and a resumed run sees
// exactly the data an uninterrupted one would.
type order struct {
	seed  uint64
	n     int
	epoch int
	perm  []int
}

// rngState is the trainer_state.json record of the data order's RNG.
type rngState struct {
	Algorithm string `json:"algorithm"`
	Seed      uint64 `json:"seed"`
	Epoch     int    `json:"epoch"`
}

func (o *order) state(epoch int) json.RawMessage {
	b, _ := json.Marshal(rngState{Algorithm: "pcg(seed, epoch) permutation", Seed: o.seed, Epoch: epoch})
	return b
}

// at returns the index of the example at global position pos.
func (o *order) at(pos int64) int {
	e := int(pos / int64(o.n))
	if o.perm == nil || e != o.epoch {
		o.epoch = e
		o.perm = rand.New(rand.NewPCG(o.seed, uint64(e))).Perm(o.n)
	}
	return o.perm[pos%int64(o.n)]
}
