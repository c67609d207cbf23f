package compare

import (
	"fmt"
	"sort"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
)

// testData is what every row is measured on.
type testData struct {
	queries []datasets.Query // the test queries, sorted by id
	texts   *datasets.Texts  // every query and document; DocIDs in corpus order
	qrels   datasets.Qrels
	// heldOut are teacher labels of test queries (for agreement).
	heldOut []labels.Row
}

// refuseRepeats returns an error naming the file (the corpus or the
// queries, said by what) and the first of its repeated ids, or nil when
// none repeats.
func refuseRepeats(what, path string, repeated []string) error {
	if len(repeated) == 0 {
		return nil
	}
	return fmt.Errorf("compare: %s %s: %w %q (%d ids repeat)", what, path, datasets.ErrDuplicateID, repeated[0], len(repeated))
}

func loadData(o *Options) (*testData, error) {
	texts, err := datasets.ReadTexts(o.Queries, o.Corpus, datasets.TextWant{})
	if err != nil {
		return nil, err
	}
	// The BM25 and student indexes take each document once, and each test
	// query is measured once, with one text.
	if err := refuseRepeats("corpus", o.Corpus, texts.RepeatedDocs); err != nil {
		return nil, err
	}
	if err := refuseRepeats("queries", o.Queries, texts.RepeatedQueries); err != nil {
		return nil, err
	}
	d := &testData{texts: texts}
	for _, id := range texts.QueryIDs {
		d.queries = append(d.queries, datasets.Query{ID: id, Text: texts.Queries[id]})
	}
	sort.Slice(d.queries, func(a, b int) bool { return d.queries[a].ID < d.queries[b].ID })
	if o.Qrels != "" {
		if d.qrels, err = datasets.ReadQrels(o.Qrels); err != nil {
			return nil, err
		}
	}
	if o.Labels != "" {
		rows, _, err := labels.ReadDir(o.Labels)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if _, ok := texts.Queries[r.QueryID]; !ok {
				continue
			}
			kept := labels.Row{QueryID: r.QueryID}
			for i, id := range r.DocumentIDs {
				if _, ok := texts.Docs[id]; ok {
					kept.DocumentIDs = append(kept.DocumentIDs, id)
					kept.Scores = append(kept.Scores, r.Scores[i])
				}
			}
			d.heldOut = append(d.heldOut, kept)
		}
		if len(d.heldOut) == 0 {
			return nil, fmt.Errorf("compare: labels %s hold none of the %d test queries of %s", o.Labels, len(d.queries), o.Queries)
		}
	}
	return d, nil
}
