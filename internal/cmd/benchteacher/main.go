// Command benchteacher measures the teacher's labelling throughput (make
// bench-teacher): a MiniLM-L6-sized cross-encoder (6 layers, hidden 384, 12
// heads, FFN 1536, seeded weights) over real MS MARCO passages at max length
// 256, through the full pipeline (tokenisation, batching, ONNX Runtime, Arrow
// writing) with and without length sorting, at 1 and 2 threads, next to ONNX
// Runtime alone on the same length-sorted batches and the machine's measured
// GEMM rate in ONNX Runtime.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/ortlib"
	"github.com/distill-ml/distill/teacher"
	"github.com/distill-ml/distill/tokenizer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchteacher:", err)
		os.Exit(1)
	}
}

func run() error {
	data := flag.String("data", "data/trec-dl19-passage-subset", "BEIR folder with real passages")
	tokPath := flag.String("tokenizer", "data/tokenizers/bert-base-uncased/tokenizer.json", "tokenizer.json")
	perQuery := flag.Int("per-query", 8, "passages per query (judged passages of the query)")
	maxLen := flag.Int("max-length", 256, "max pair length")
	batch := flag.Int("batch-size", 32, "pairs per batch")
	threadList := flag.String("threads", "1,2", "intra-op thread counts to measure")
	dump := flag.String("dump", "", "also write the weights, config and batches here for scripts/bench_torch_teacher.py")
	flag.Parse()
	if _, err := ortlib.Init(""); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "benchteacher-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	cfg := bertonnx.MiniLML6()
	weights := bertonnx.RandomWeights(cfg, 1)
	modelPath := filepath.Join(tmp, "model.onnx")
	if err := bertonnx.WriteCrossEncoder(modelPath, cfg, weights, bertonnx.WriteOptions{}); err != nil {
		return err
	}
	candPath := filepath.Join(tmp, "candidates.run")
	nPairs, err := writeCandidates(*data, candPath, *perQuery)
	if err != nil {
		return err
	}
	tok, err := teacher.LoadTokenizer(*tokPath)
	if err != nil {
		return err
	}
	queries, corpus := filepath.Join(*data, "queries.jsonl"), filepath.Join(*data, "corpus.jsonl")
	in, err := teacher.LoadInputs(queries, corpus, candPath, teacher.InputOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("model: MiniLM-L6 shape (6 layers, hidden 384, 12 heads, FFN 1536, vocab %d), seeded weights\n", cfg.VocabSize)
	fmt.Printf("data:  %d real pairs (%d queries × up to %d judged passages), max length %d, batch %d, ONNX Runtime %s\n\n",
		nPairs, len(in.Groups), *perQuery, *maxLen, *batch, ortlib.RuntimeVersion())

	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "threads\tmode\tpairs/s\tpadding\tGFLOP/s\tvs ORT alone\tmodel waiting for text\tGEMM peak GFLOP/s\t")
	for _, ts := range strings.Split(*threadList, ",") {
		threads, err := strconv.Atoi(strings.TrimSpace(ts))
		if err != nil {
			return fmt.Errorf("-threads %q", *threadList)
		}
		peak, err := gemmPeak(tmp, threads)
		if err != nil {
			return err
		}
		sc, err := teacher.NewONNXScorer(modelPath, teacher.ONNXOptions{Threads: threads, Sessions: 1})
		if err != nil {
			return err
		}
		// ONNX Runtime alone on the pipeline's own length-sorted batches.
		batches := sortedBatches(tok, in, *maxLen, *batch)
		if _, err := sc.Score(batches[len(batches)/2]); err != nil { // warm-up
			return err
		}
		if *dump != "" && threads == 1 {
			if err := dumpForTorch(*dump, cfg, weights, sc, batches); err != nil {
				return err
			}
		}
		var flops float64
		t0 := time.Now()
		for _, b := range batches {
			if _, err := sc.Score(b); err != nil {
				return err
			}
			flops += batchFLOPs(cfg, b)
		}
		alone := time.Since(t0)
		aloneRate := float64(nPairs) / alone.Seconds()
		fmt.Fprintf(tw, "%d\tORT alone, sorted batches\t%.1f\t%.1f%%\t%.1f\t100%%\t\t%.1f\t\n", threads, aloneRate, 100*padding(batches), flops/alone.Seconds()/1e9, peak)
		for _, noSort := range []bool{false, true} {
			eng := &teacher.Engine{Scorer: sc, Tokenizer: tok, MaxLength: *maxLen, BatchSize: *batch, Workers: 1, NoSort: noSort}
			job := &teacher.LabelJob{Model: modelPath, Tokenizer: *tokPath, Queries: queries, Corpus: corpus, Candidates: candPath,
				Out: filepath.Join(tmp, fmt.Sprintf("labels-%d-%v", threads, noSort)), MaxLength: *maxLen, BatchSize: *batch, ChunkPairs: 4096}
			res, err := teacher.Label(context.Background(), job, eng, zap.NewNop())
			if err != nil {
				return err
			}
			mode := "distill label, length-sorted"
			if noSort {
				mode = "distill label, unsorted"
			}
			st := res.Stats
			gf := float64(st.Pairs) / st.Elapsed.Seconds() * flopsPerPairPadded(cfg, st)
			fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.1f%%\t%.1f\t%.0f%%\t%.0f ms\t\t\n", threads, mode, st.PairsPerSecond(), 100*st.PaddingWaste(), gf/1e9, 100*st.PairsPerSecond()/aloneRate, float64(st.Starved.Milliseconds()))
		}
		sc.Close()
	}
	tw.Flush()
	fmt.Println("\nGFLOP/s counts the matrix products actually computed (padding included); GEMM peak is")
	fmt.Println("ONNX Runtime's MatMul [512×384]·[384×1536] at the same thread count.")
	return nil
}

// writeCandidates writes a run with the judged passages of each query.
func writeCandidates(dir, out string, perQuery int) (int, error) {
	qrels, err := datasets.ReadQrels(filepath.Join(dir, "qrels", "test.tsv"))
	if err != nil {
		return 0, err
	}
	run := datasets.Run{}
	n := 0
	qids := make([]string, 0, len(qrels))
	for q := range qrels {
		qids = append(qids, q)
	}
	sort.Strings(qids)
	for _, q := range qids {
		docs := make([]string, 0, len(qrels[q]))
		for d := range qrels[q] {
			docs = append(docs, d)
		}
		sort.Strings(docs)
		for i, d := range docs {
			if i >= perQuery {
				break
			}
			run[q] = append(run[q], datasets.RunEntry{QueryID: q, DocID: d, Rank: i + 1, Score: float64(perQuery - i)})
			n++
		}
	}
	return n, datasets.WriteRun(out, run, "bench")
}

func sortedBatches(tok teacher.Tokenizer, in *teacher.Inputs, maxLen, size int) []*tokenizer.Batch {
	type enc struct{ ids, types []int32 }
	var encs []enc
	for _, g := range in.Groups {
		q := tok.Tokenize(in.Texts.Queries[g.QueryID])
		for _, d := range g.DocIDs {
			ids, types := tok.BuildPair(q, tok.Tokenize(in.Texts.Docs[d]), maxLen)
			encs = append(encs, enc{ids, types})
		}
	}
	sort.SliceStable(encs, func(a, b int) bool { return len(encs[a].ids) < len(encs[b].ids) })
	var out []*tokenizer.Batch
	for s := 0; s < len(encs); s += size {
		part := encs[s:min(s+size, len(encs))]
		ids, types := make([][]int32, len(part)), make([][]int32, len(part))
		for i, e := range part {
			ids[i], types[i] = e.ids, e.types
		}
		out = append(out, tokenizer.Pad(ids, types, 0, 0))
	}
	return out
}

func padding(bs []*tokenizer.Batch) float64 {
	var tok, slots float64
	for _, b := range bs {
		tok += float64(b.Tokens)
		slots += float64(b.Size * b.Len)
	}
	return 1 - tok/slots
}

// batchFLOPs counts the multiply-adds (×2) of the encoder on a padded batch:
// per token and layer 2·(4H² + 2·H·FFN) for the projections and feed-forward,
// plus 2·2·L·H for the attention products.
func batchFLOPs(cfg bertonnx.Config, b *tokenizer.Batch) float64 {
	h, f := float64(cfg.Hidden), float64(cfg.FFN)
	tokens := float64(b.Size * b.Len)
	perLayer := tokens*2*(4*h*h+2*h*f) + tokens*4*float64(b.Len)*h
	return float64(cfg.Layers) * perLayer
}

// flopsPerPairPadded estimates FLOPs per pair from the run's padded slots,
// assuming the mean padded length (the attention term is approximate).
func flopsPerPairPadded(cfg bertonnx.Config, st teacher.Stats) float64 {
	if st.Pairs == 0 {
		return 0
	}
	l := float64(st.PaddedSlot) / float64(st.Pairs)
	h, f := float64(cfg.Hidden), float64(cfg.FFN)
	return float64(cfg.Layers) * (l*2*(4*h*h+2*h*f) + l*4*l*h)
}
