package teacher

import (
	"fmt"
	"sort"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
)

// InputOptions says which candidates to score.
type InputOptions struct {
	// Depth keeps the top Depth candidates of each query (0: all).
	Depth int
	// Shard keeps the queries of one shard (Count 0 or 1: all).
	Shard labels.Shard
	// SkipMissing skips candidates whose query or document has no text,
	// counting them, instead of failing.
	SkipMissing bool
}

// InputReport counts what loading skipped.
type InputReport struct {
	Queries, Pairs     int
	MissingQueries     int // candidate queries without text
	MissingDocs        int // candidate pairs whose document has no text
	DuplicateCands     int // repeated (query, doc) candidates, kept once
	EmptyQueries       int // queries with empty text
	ShardQueriesOfAll  int // queries in the run before sharding
	MissingQueryIDs    []string
	MissingDocExamples []string
}

// Inputs are the groups to score and their texts.
type Inputs struct {
	Groups []Group
	Texts  *datasets.Texts
	Report InputReport
}

// LoadInputs reads the candidates (a TREC run), keeps the top Depth per query
// and the queries of the shard, then reads only the query and document texts
// those candidates need (the corpus is streamed, so memory follows the
// candidates, not the corpus).
func LoadInputs(queriesPath, corpusPath, candidatesPath string, opts InputOptions) (*Inputs, error) {
	run, err := datasets.ReadRun(candidatesPath)
	if err != nil {
		return nil, err
	}
	qids := make([]string, 0, len(run))
	for q := range run {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	in := &Inputs{}
	in.Report.ShardQueriesOfAll = len(qids)
	needQ, needD := datasets.IDSet{}, datasets.IDSet{}
	for i, q := range qids {
		if !datasets.InShard(i, opts.Shard.Index, opts.Shard.Count) {
			continue
		}
		entries := run[q]
		if opts.Depth > 0 && len(entries) > opts.Depth {
			entries = entries[:opts.Depth]
		}
		seen := make(map[string]bool, len(entries))
		g := Group{QueryID: q}
		for _, e := range entries {
			if seen[e.DocID] {
				in.Report.DuplicateCands++
				continue
			}
			seen[e.DocID] = true
			g.DocIDs = append(g.DocIDs, e.DocID)
			needD[e.DocID] = struct{}{}
		}
		needQ[q] = struct{}{}
		in.Groups = append(in.Groups, g)
	}
	// A blank text counts as missing: refused, or skipped with SkipMissing.
	in.Texts, err = datasets.ReadTexts(queriesPath, corpusPath, datasets.TextWant{Queries: needQ, Docs: needD, SkipBlank: true})
	if err != nil {
		return nil, err
	}
	in.Report.EmptyQueries = in.Texts.BlankQueries
	if in.Texts.CorpusDocs == 0 {
		return nil, fmt.Errorf("teacher: corpus %s holds no documents", corpusPath)
	}
	kept := in.Groups[:0]
	for _, g := range in.Groups {
		if _, ok := in.Texts.Queries[g.QueryID]; !ok {
			in.Report.MissingQueries++
			in.Report.MissingQueryIDs = appendExample(in.Report.MissingQueryIDs, g.QueryID)
			continue
		}
		docs := g.DocIDs[:0]
		for _, d := range g.DocIDs {
			if _, ok := in.Texts.Docs[d]; !ok {
				in.Report.MissingDocs++
				in.Report.MissingDocExamples = appendExample(in.Report.MissingDocExamples, d)
				continue
			}
			docs = append(docs, d)
		}
		g.DocIDs = docs
		kept = append(kept, g)
	}
	in.Groups = kept
	if !opts.SkipMissing && (in.Report.MissingQueries > 0 || in.Report.MissingDocs > 0) {
		return nil, &MissingTextError{Candidates: candidatesPath, Queries: queriesPath, Corpus: corpusPath,
			MissingQueries: in.Report.MissingQueries, QueryExamples: in.Report.MissingQueryIDs,
			MissingDocs: in.Report.MissingDocs, DocExamples: in.Report.MissingDocExamples}
	}
	for _, g := range in.Groups {
		in.Report.Queries++
		in.Report.Pairs += len(g.DocIDs)
	}
	return in, nil
}

func appendExample(xs []string, x string) []string {
	if len(xs) < 5 {
		xs = append(xs, x)
	}
	return xs
}

// PlanChunks cuts groups into chunks of about chunkPairs pairs (whole
// queries), deterministically.
func PlanChunks(groups []Group, chunkPairs int) []*Chunk {
	var chunks []*Chunk
	cur := &Chunk{}
	n := 0
	for _, g := range groups {
		cur.Groups = append(cur.Groups, g)
		n += len(g.DocIDs)
		if n >= chunkPairs {
			cur.Index = len(chunks)
			chunks = append(chunks, cur)
			cur, n = &Chunk{}, 0
		}
	}
	if len(cur.Groups) > 0 {
		cur.Index = len(chunks)
		chunks = append(chunks, cur)
	}
	return chunks
}
