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
	qtext   map[string]string
	docs    []datasets.Document
	dtext   map[string]string
	qrels   datasets.Qrels
	// heldOut are teacher labels of test queries (for agreement).
	heldOut []labels.Row
}

func loadData(o *Options) (*testData, error) {
	d := &testData{qtext: map[string]string{}, dtext: map[string]string{}}
	qs, err := datasets.ReadQueries(o.Queries)
	if err != nil {
		return nil, err
	}
	sort.Slice(qs, func(a, b int) bool { return qs[a].ID < qs[b].ID })
	d.queries = qs
	for _, q := range qs {
		d.qtext[q.ID] = q.Text
	}
	if d.docs, err = datasets.ReadCorpus(o.Corpus); err != nil {
		return nil, err
	}
	for _, doc := range d.docs {
		d.dtext[doc.ID] = doc.FullText()
	}
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
			if _, ok := d.qtext[r.QueryID]; !ok {
				continue
			}
			kept := labels.Row{QueryID: r.QueryID}
			for i, id := range r.DocumentIDs {
				if _, ok := d.dtext[id]; ok {
					kept.DocumentIDs = append(kept.DocumentIDs, id)
					kept.Scores = append(kept.Scores, r.Scores[i])
				}
			}
			d.heldOut = append(d.heldOut, kept)
		}
		if len(d.heldOut) == 0 {
			return nil, fmt.Errorf("compare: labels %s hold none of the %d test queries of %s", o.Labels, len(qs), o.Queries)
		}
	}
	return d, nil
}
