package training

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/testfix"
	"github.com/distill-ml/distill/teacher"
	"github.com/distill-ml/distill/tokenizer"
)

const (
	dataDir     = "../data/trec-dl19-passage-subset"
	bertTokPath = "../data/tokenizers/bert-base-uncased/tokenizer.json"
	fixQueries  = 40 // queries labelled
	fixDocs     = 10 // judged passages per query
	fixRandom   = 40 // other corpus passages per query
)

// fixture is a tiny seeded ONNX cross-encoder teacher, its labels over the
// judged passages of 40 real TREC DL 2019 queries plus 20 other passages each, and a tokenizer for the
// students.
type fixture struct {
	dir                    string
	teacherModel           string
	labels, candidates     string
	queries, corpus, qrels string
	tokenizer              string // the students' tokenizer.json
	vocab                  int
}

var (
	fixtures   = testfix.Once(makeFixture)
	getFixture = fixtures.Get // built by the first test that asks
)

func makeFixture() (*fixture, error) {
	dir, err := os.MkdirTemp("", "training-test-")
	if err != nil {
		return nil, err
	}
	f := &fixture{dir: dir, queries: filepath.Join(dataDir, "queries.jsonl"), corpus: filepath.Join(dataDir, "corpus.jsonl"),
		qrels: filepath.Join(dataDir, "qrels", "test.tsv")}
	cfg := bertonnx.Tiny()
	f.teacherModel = filepath.Join(dir, "teacher.onnx")
	if err := bertonnx.WriteCrossEncoder(f.teacherModel, cfg, bertonnx.RandomWeights(cfg, 7), bertonnx.WriteOptions{}); err != nil {
		return nil, err
	}
	qids, judged, err := testfix.JudgedDocs(fixQueries, fixDocs)
	if err != nil {
		return nil, err
	}
	corpus, err := datasets.ReadCorpus(f.corpus)
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(5, 6))
	run := datasets.Run{}
	for _, q := range qids {
		docs := slices.Clone(judged[q][:fixDocs])
		for len(docs) < fixDocs+fixRandom {
			if d := corpus[r.IntN(len(corpus))].ID; !slices.Contains(docs, d) {
				docs = append(docs, d)
			}
		}
		for i, d := range docs {
			run[q] = append(run[q], datasets.RunEntry{QueryID: q, DocID: d, Rank: i + 1, Score: float64(len(docs) - i)})
		}
	}
	f.candidates = filepath.Join(dir, "candidates.run")
	if err := datasets.WriteRun(f.candidates, run, "judged"); err != nil {
		return nil, err
	}
	f.labels = filepath.Join(dir, "labels")
	tok, err := teacher.LoadTokenizer(bertTokPath)
	if err != nil {
		return nil, err
	}
	sc, err := teacher.NewONNXScorer(f.teacherModel, teacher.ONNXOptions{Threads: 1, Sessions: 1})
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	job := &teacher.LabelJob{Model: f.teacherModel, Tokenizer: bertTokPath, Queries: f.queries, Corpus: f.corpus,
		Candidates: f.candidates, Out: f.labels, MaxLength: 96, BatchSize: 16, ChunkPairs: 1000, Activation: "none (raw logit)"}
	eng := &teacher.Engine{Scorer: sc, Tokenizer: tok, MaxLength: 96, BatchSize: 16, Workers: 1}
	if _, err := teacher.Label(context.Background(), job, eng, zap.NewNop()); err != nil {
		return nil, err
	}
	f.tokenizer = filepath.Join(dir, "tokenizer.json")
	if f.vocab, err = writeReducedTokenizer(bertTokPath, f.tokenizer, f.queries, f.corpus, run); err != nil {
		return nil, err
	}
	return f, nil
}

// writeReducedTokenizer writes a copy of the BERT tokenizer whose
// vocabulary keeps only the special tokens, [unused0]/[unused1] (ColBERT's
// markers), the punctuation and the word pieces of the fixture's texts,
// renumbered in their original order. WordPiece's greedy longest match
// splits those texts exactly as with the full vocabulary (every piece it
// chose is kept, and no longer one is added), so the students see the same
// tokens with an embedding and a SPLADE head ~10× smaller. It returns the
// vocabulary size.
func writeReducedTokenizer(src, dst, queriesPath, corpusPath string, run datasets.Run) (int, error) {
	full, err := tokenizer.Load(src)
	if err != nil {
		return 0, err
	}
	texts, err := datasets.ReadTexts(queriesPath, corpusPath, datasets.TextWant{})
	if err != nil {
		return 0, err
	}
	keep := map[int32]bool{}
	for _, tok := range []string{"[PAD]", "[unused0]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} {
		id, _ := full.TokenToID(tok)
		keep[id] = true
	}
	for id := range int32(full.VocabSize()) {
		if full.IsPunctuation(id) {
			keep[id] = true
		}
	}
	for q, entries := range run {
		for _, id := range full.Tokenize(texts.Queries[q]) {
			keep[id] = true
		}
		for _, e := range entries {
			for _, id := range full.Tokenize(texts.Docs[e.DocID]) {
				keep[id] = true
			}
		}
	}
	ids := make([]int32, 0, len(keep))
	for id := range keep {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	newID := map[int32]int{}
	for i, id := range ids {
		newID[id] = i
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	var js map[string]any
	if err := json.Unmarshal(data, &js); err != nil {
		return 0, err
	}
	model := js["model"].(map[string]any)
	vocab := map[string]any{}
	for id, i := range newID {
		vocab[full.IDToToken(id)] = i
	}
	model["vocab"] = vocab
	var added []any
	for _, a := range js["added_tokens"].([]any) {
		m := a.(map[string]any)
		if i, ok := newID[int32(m["id"].(float64))]; ok {
			m["id"] = i
			added = append(added, m)
		}
	}
	js["added_tokens"] = added
	for _, st := range js["post_processor"].(map[string]any)["special_tokens"].(map[string]any) {
		m := st.(map[string]any)
		for j, id := range m["ids"].([]any) {
			m["ids"].([]any)[j] = newID[int32(id.(float64))]
		}
	}
	out, err := json.Marshal(js)
	if err != nil {
		return 0, err
	}
	return len(ids), os.WriteFile(dst, out, 0o644)
}

// TestMain removes the fixture's folder after the tests (kept, and printed,
// when DISTILL_KEEP_FIXTURE is set).
func TestMain(m *testing.M) {
	if spec := os.Getenv(trainChildEnv); spec != "" {
		os.Exit(trainChild(spec))
	}
	code := m.Run()
	if fix, ok := fixtures.Built(); ok {
		if os.Getenv("DISTILL_KEEP_FIXTURE") != "" {
			println("fixture kept in", fix.dir)
		} else {
			os.RemoveAll(fix.dir)
		}
	}
	os.Exit(code)
}
