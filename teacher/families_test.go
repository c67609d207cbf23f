package teacher

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/tokenizer"
)

// TestLabelRoBERTaFamilies runs teacher label and teacher rerank end to end
// with XLM-R- and RoBERTa-shaped cross-encoders (no token_type_ids input,
// RoBERTa's padding-offset positions, int64 or int32 inputs) and their
// SentencePiece-Unigram and byte-level-BPE tokenizers, and compares every
// score with the float64 reference forward pass of the same weights on the
// same tokens.
func TestLabelRoBERTaFamilies(t *testing.T) {
	f := getFixture(t)
	for _, tc := range []struct {
		name, tokenizer string
		int32           bool
	}{
		{"xlmr-unigram", "../data/tokenizers/tiny-xlmr-unigram/tokenizer.json", false},
		{"roberta-bpe-int32", "../data/tokenizers/tiny-roberta-bpe/tokenizer.json", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk, err := tokenizer.Load(tc.tokenizer)
			if err != nil {
				t.Fatal(err)
			}
			sp := tk.Special()
			cfg := bertonnx.TinyRoBERTa(tk.VocabSize(), int(sp.PAD))
			w := bertonnx.RandomWeights(cfg, 11)
			model := filepath.Join(t.TempDir(), "model.onnx")
			if err := bertonnx.WriteCrossEncoder(model, cfg, w, bertonnx.WriteOptions{Int32Inputs: tc.int32}); err != nil {
				t.Fatal(err)
			}
			tok := WrapTokenizer(tk)
			engine := func() *Engine {
				sc, err := NewONNXScorer(model, ONNXOptions{Threads: 1, Sessions: 1})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { sc.Close() })
				if info := sc.Info; info.HasTypes || !slices.Equal(info.InputNames, []string{"input_ids", "attention_mask"}) || info.Int32[0] != tc.int32 {
					t.Fatalf("model inputs %v (int32 %v), want input_ids and attention_mask only", info.InputNames, info.Int32)
				}
				return &Engine{Scorer: sc, Tokenizer: tok, MaxLength: maxLen, BatchSize: 4, Workers: 1}
			}

			out := t.TempDir()
			job := f.job(out)
			job.Model, job.Tokenizer = model, tc.tokenizer
			res, err := Label(context.Background(), job, engine(), zap.NewNop())
			if err != nil {
				t.Fatal(err)
			}
			if res.Stats.Pairs != f.pairs {
				t.Fatalf("scored %d pairs, want %d", res.Stats.Pairs, f.pairs)
			}

			// The reference: <s> q </s></s> d </s> from the same tokenizer, type 0.
			in, err := LoadInputs(f.queries, f.corpus, f.candidates, InputOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ref := map[[2]string]float64{}
			for _, g := range in.Groups {
				q := tok.Tokenize(in.Texts.Queries[g.QueryID])
				for _, d := range g.DocIDs {
					ids, types := tok.BuildPair(q, tok.Tokenize(in.Texts.Docs[d]), maxLen)
					sep := sp.SEP
					if ids[0] != sp.CLS || ids[len(ids)-1] != sep || slices.ContainsFunc(types, func(x int32) bool { return x != 0 }) ||
						!slices.Equal(ids[len(q)+1:len(q)+3], []int32{sep, sep}) {
						t.Fatalf("pair %s/%s: ids %v types %v, want <s> q </s></s> d </s> with type ids 0", g.QueryID, d, ids, types)
					}
					mask := make([]int32, len(ids))
					for i := range mask {
						mask[i] = 1
					}
					logits, err := bertonnx.Forward(cfg, w, [][]int32{ids}, nil, [][]int32{mask})
					if err != nil {
						t.Fatal(err)
					}
					ref[[2]string{g.QueryID, d}] = logits[0][0]
				}
			}
			var maxDiff float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, r := range readLabels(t, out) {
				for i, d := range r.DocumentIDs {
					s, want := float64(r.Scores[i]), ref[[2]string{r.QueryID, d}]
					lo, hi = math.Min(lo, s), math.Max(hi, s)
					maxDiff = math.Max(maxDiff, math.Abs(s-want)/math.Max(1, math.Abs(want)))
				}
			}
			if maxDiff > 1e-4 {
				t.Errorf("label: max |ONNX Runtime − reference| / max(1, |reference|) = %g, want ≤ 1e-4", maxDiff)
			}
			if hi-lo < 0.01 {
				t.Errorf("scores span only %g: the fixture cannot tell rankings apart", hi-lo)
			}
			t.Logf("label: max diff %.2g over %d pairs, scores [%.3f, %.3f]", maxDiff, f.pairs, lo, hi)

			run, st, err := Rerank(context.Background(), engine(), in, "ce")
			if err != nil {
				t.Fatal(err)
			}
			if st.Pairs != f.pairs {
				t.Fatalf("rerank scored %d pairs, want %d", st.Pairs, f.pairs)
			}
			for q, entries := range run {
				for i, e := range entries {
					if d := math.Abs(e.Score - ref[[2]string{q, e.DocID}]); d > 1e-4*math.Max(1, math.Abs(e.Score)) {
						t.Errorf("rerank %s/%s: score %g, reference %g", q, e.DocID, e.Score, ref[[2]string{q, e.DocID}])
					}
					if i > 0 && e.Score > entries[i-1].Score {
						t.Fatalf("rerank of %s not ordered: %+v", q, entries)
					}
				}
			}
		})
	}
}

// TestBatchPadsWithPadID checks that batches are padded with the tokenizer's
// pad id: 1 (<pad>) for XLM-R, 0 ([PAD]) for BERT.
func TestBatchPadsWithPadID(t *testing.T) {
	for _, c := range []struct {
		path string
		pad  int32
	}{{"../data/tokenizers/tiny-xlmr-unigram/tokenizer.json", 1}, {tokPath, 0}} {
		tok, err := LoadTokenizer(c.path)
		if err != nil {
			t.Fatal(err)
		}
		e := &Engine{Tokenizer: tok}
		b := makeBatch([]pairEncoding{{ids: []int32{5, 6, 7}, types: []int32{0, 0, 0}}, {ids: []int32{5}, types: []int32{0}}}, e.padID())
		if want := []int32{5, 6, 7, 5, c.pad, c.pad}; !slices.Equal(b.IDs, want) || !slices.Equal(b.Mask, []int32{1, 1, 1, 1, 0, 0}) {
			t.Errorf("%s: ids %v mask %v, want ids %v", c.path, b.IDs, b.Mask, want)
		}
	}
}
