package training

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
)

// CandidateLabels turns a first-stage run into a labels folder that Train
// reads like teacher labels, for fine-tuning a cross-encoder on judgements
// (distill teacher finetune): each query of queries keeps its top depth
// candidates with their first-stage scores (BM25: the hard negatives), and
// every judged relevant document (relevance ≥ 1) missing from them is added
// with a score below the query's lowest, so each judged query has its
// positives. With a judgement-only loss (pairwise-ce, pointwise-bce) the
// scores only order the negatives; they are never regression targets.
func CandidateLabels(run datasets.Run, qrels datasets.Qrels, queries map[string]bool, depth int, dir string) (*labels.Manifest, error) {
	var qids []string
	for q := range run {
		if queries[q] {
			qids = append(qids, q)
		}
	}
	for q := range qrels {
		if _, ok := run[q]; !ok && queries[q] {
			qids = append(qids, q)
		}
	}
	sort.Strings(qids)
	var rows []labels.Row
	for _, q := range qids {
		entries := run[q]
		if depth > 0 && len(entries) > depth {
			entries = entries[:depth]
		}
		r := labels.Row{QueryID: q}
		seen := map[string]bool{}
		low := float32(0)
		for i, e := range entries {
			if seen[e.DocID] {
				continue
			}
			seen[e.DocID] = true
			r.DocumentIDs = append(r.DocumentIDs, e.DocID)
			r.Scores = append(r.Scores, float32(e.Score))
			if i == 0 || float32(e.Score) < low {
				low = float32(e.Score)
			}
		}
		var rel []string
		for d, g := range qrels[q] {
			if g >= 1 && !seen[d] {
				rel = append(rel, d)
			}
		}
		sort.Strings(rel)
		for _, d := range rel {
			r.DocumentIDs = append(r.DocumentIDs, d)
			r.Scores = append(r.Scores, low-1)
		}
		if len(r.DocumentIDs) >= 2 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("training: no query of the candidates has two or more documents to train on")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	prov := labels.Provenance{labels.KeyActivation: "first-stage scores (not a teacher)", labels.KeyModelSHA256: "none",
		labels.KeySource: "distill teacher finetune: first-stage candidates + judged positives"}
	e, err := labels.WritePart(filepath.Join(dir, "part-00000.arrow"), rows, prov)
	if err != nil {
		return nil, err
	}
	e.Path = "part-00000.arrow"
	m := &labels.Manifest{Provenance: prov, Files: []labels.FileEntry{e}}
	return m, labels.WriteManifest(dir, m)
}
