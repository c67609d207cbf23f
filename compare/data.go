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

func loadData(o *Options) (*testData, error) {
	texts, err := datasets.ReadTexts(o.Queries, o.Corpus, datasets.TextWant{})
	if err != nil {
		return nil, err
	}
	if len(texts.RepeatedDocs) > 0 { // the BM25 and student indexes take each document once
		return nil, fmt.Errorf("compare: corpus %s: %w %q (%d ids repeat)", o.Corpus, datasets.ErrDuplicateID, texts.RepeatedDocs[0], len(texts.RepeatedDocs))
	}
	if len(texts.RepeatedQueries) > 0 { // each test query is measured once, with one text
		return nil, fmt.Errorf("compare: queries %s: %w %q (%d ids repeat)", o.Queries, datasets.ErrDuplicateID, texts.RepeatedQueries[0], len(texts.RepeatedQueries))
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
