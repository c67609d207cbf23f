package retrieval

import (
	"fmt"

	"github.com/distill-ml/distill/datasets"
)

// ToRun turns the hits of each query into a TREC run: queryIDs[i] names the
// query whose ranked hits are hits[i]. Ranks start at 1 and follow the order
// of the hits; every entry carries tag. A query with no hits has no entries.
// It is an error if the slices differ in length or a query id repeats.
func ToRun(queryIDs []string, hits [][]datasets.Hit, tag string) (datasets.Run, error) {
	if len(queryIDs) != len(hits) {
		return nil, fmt.Errorf("retrieval: ToRun: %d query ids for %d hit lists", len(queryIDs), len(hits))
	}
	run := make(datasets.Run, len(queryIDs))
	for i, qid := range queryIDs {
		if _, dup := run[qid]; dup {
			return nil, fmt.Errorf("retrieval: ToRun: query id %q at position %d repeats", qid, i)
		}
		run[qid] = datasets.HitEntries(qid, hits[i], tag)
	}
	return run, nil
}
