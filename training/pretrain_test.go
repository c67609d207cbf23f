package training

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

func bertTokenizer(t *testing.T) *tokenizer.Tokenizer {
	t.Helper()
	tok, err := tokenizer.Load(bertTokPath)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestMaskRules checks BERT's masking on a real sentence with multi-piece
// words: [CLS] and [SEP] are never chosen, the count is round(15% of the
// length) (whole words may leave it short by less than a word), every piece
// of a chosen word is chosen, the 80/10/10 replacement shares hold over many
// draws, and the same generator state gives the same masks.
func TestMaskRules(t *testing.T) {
	tok := bertTokenizer(t)
	v := newMLMVocab(tok)
	text := "the supersonic aeroelastic flutter of heated panels was investigated experimentally with thermocouples " +
		"and hypersonic wind tunnels, using unsteady aerodynamics"
	seq := append(append([]int32{v.cls}, tok.Tokenize(text)...), v.sep)
	// The words: a start piece and its "##" continuations.
	wordOf := make([]int, len(seq))
	w := -1
	for i, id := range seq {
		if i > 0 && v.continuation[id] {
			wordOf[i] = w
			continue
		}
		w++
		wordOf[i] = w
	}
	if w == len(seq)-1 {
		t.Fatal("the sentence has no multi-piece word: the test needs one")
	}
	mk := Masking{Prob: 0.15, MaxPredictions: 20, WholeWord: true}
	want := int(math.Round(float64(len(seq)) * 0.15))
	var masked, kept, random, total int
	for s := range uint64(2000) {
		m := mk.Mask(rand.New(rand.NewPCG(s, 1)), seq, v)
		if n := len(m.Positions); n > want || n < want-2 {
			t.Fatalf("seed %d: %d predictions, want %d (or a little fewer, whole words)", s, n, want)
		}
		chosen := map[int]bool{}
		for k, p := range m.Positions {
			if p == 0 || p == len(seq)-1 {
				t.Fatalf("seed %d: a special token at %d was chosen", s, p)
			}
			if k > 0 && p <= m.Positions[k-1] {
				t.Fatalf("seed %d: positions %v not increasing", s, m.Positions)
			}
			if m.Targets[k] != seq[p] {
				t.Fatalf("seed %d: target %d at %d, the original is %d", s, m.Targets[k], p, seq[p])
			}
			chosen[p] = true
			switch m.IDs[p] {
			case v.mask:
				masked++
			case seq[p]:
				kept++
			default:
				random++
			}
			total++
		}
		for i := range seq {
			if !chosen[i] && m.IDs[i] != seq[i] {
				t.Fatalf("seed %d: token %d changed without being chosen", s, i)
			}
			if chosen[i] {
				for j := range seq {
					if wordOf[j] == wordOf[i] && !chosen[j] {
						t.Fatalf("seed %d: piece %d of a chosen word (at %d) was not chosen", s, j, i)
					}
				}
			}
		}
	}
	share := func(n int) float64 { return float64(n) / float64(total) }
	// A random token may equal the original (p = 1/V): negligible.
	if math.Abs(share(masked)-0.8) > 0.015 || math.Abs(share(kept)-0.1) > 0.01 || math.Abs(share(random)-0.1) > 0.01 {
		t.Errorf("over %d chosen tokens: [MASK] %.3f, kept %.3f, random %.3f; want 0.8, 0.1, 0.1", total, share(masked), share(kept), share(random))
	}
	a := mk.Mask(rand.New(rand.NewPCG(9, 9)), seq, v)
	b := mk.Mask(rand.New(rand.NewPCG(9, 9)), seq, v)
	c := mk.Mask(rand.New(rand.NewPCG(9, 10)), seq, v)
	if !slices.Equal(a.IDs, b.IDs) || !slices.Equal(a.Positions, b.Positions) {
		t.Error("the same generator state gave different masks")
	}
	if slices.Equal(a.IDs, c.IDs) {
		t.Error("two generator states gave the same masks")
	}
	// Token-level masking splits words: over many draws some word is cut.
	mk.WholeWord = false
	split := false
	for s := uint64(0); s < 200 && !split; s++ {
		m := mk.Mask(rand.New(rand.NewPCG(s, 1)), seq, v)
		for _, p := range m.Positions {
			for j := range seq {
				if wordOf[j] == wordOf[p] && !slices.Contains(m.Positions, j) {
					split = true
				}
			}
		}
	}
	if !split {
		t.Error("without whole-word masking no word was ever split")
	}
}

// TestPretrainSequences checks the cutting of documents into sequences:
// title segment (type 0) and body chunk (type 1), at most maxLen tokens,
// chunks that rejoin to the whole body and start on a word.
func TestPretrainSequences(t *testing.T) {
	tok := bertTokenizer(t)
	v := newMLMVocab(tok)
	body := strings.Repeat("aeroelastic flutter of heated panels at hypersonic speeds. ", 12)
	docs := []datasets.Document{{ID: "a", Title: "panel flutter", Text: body}, {ID: "b", Text: "short untitled text"}, {ID: "c"}}
	const maxLen = 40
	seqs := PretrainSequences(docs, tok, maxLen)
	title := tok.Tokenize("panel flutter")
	var rejoined []int32
	nb := 0
	for _, s := range seqs {
		if len(s.IDs) > maxLen || len(s.Types) != len(s.IDs) {
			t.Fatalf("%s: %d ids, %d types, max %d", s.DocID, len(s.IDs), len(s.Types), maxLen)
		}
		if s.IDs[0] != v.cls || s.IDs[len(s.IDs)-1] != v.sep {
			t.Fatalf("%s: %v does not start with [CLS] and end with [SEP]", s.DocID, s.IDs)
		}
		switch s.DocID {
		case "a":
			head := s.IDs[1 : 1+len(title)]
			if !slices.Equal(head, title) || s.IDs[1+len(title)] != v.sep {
				t.Fatalf("sequence %v does not begin with the title segment", s.IDs)
			}
			chunk := s.IDs[2+len(title) : len(s.IDs)-1]
			if v.continuation[chunk[0]] {
				t.Errorf("a chunk starts inside a word: %v", chunk)
			}
			for i, ty := range s.Types {
				if want := map[bool]int32{true: 0, false: 1}[i <= 1+len(title)]; ty != want {
					t.Fatalf("token %d of %v has type %d, want %d", i, s.IDs, ty, want)
				}
			}
			rejoined = append(rejoined, chunk...)
		case "b":
			nb++
			if slices.Contains(s.Types, 1) {
				t.Errorf("an untitled document has a second segment: %v", s.Types)
			}
		default:
			t.Errorf("the empty document %s gave a sequence", s.DocID)
		}
	}
	if !slices.Equal(rejoined, tok.Tokenize(body)) {
		t.Error("the chunks of document a do not rejoin to its body")
	}
	if nb != 1 {
		t.Errorf("document b: %d sequences, want 1", nb)
	}
}

// tinyPretrainConfig pretrains a one-layer, 32-wide encoder on 80 passages
// of the fixture corpus with the fixture's reduced vocabulary.
func tinyPretrainConfig(t *testing.T, f *fixture, out string) PretrainConfig {
	t.Helper()
	docs, err := datasets.ReadCorpus(f.corpus)
	if err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := datasets.WriteCorpusJSONL(corpus, docs[:80]); err != nil {
		t.Fatal(err)
	}
	c := DefaultPretrainConfig()
	c.Corpus, c.Tokenizer, c.Out = corpus, f.tokenizer, out
	c.Layers, c.Hidden, c.Heads, c.FFN, c.MaxPosition, c.MaxLength = 1, 32, 2, 64, 64, 48
	c.Steps, c.BatchSize, c.LR, c.Seed, c.ValFraction = 60, 8, 3e-3, 1, 0.15
	c.EvalEvery, c.SaveEvery, c.LogEvery = 20, 20, 5
	return c
}

// TestPretrainLearnsResumesAndInitialises checks that the validation loss
// starts at log V (a uniform model) and falls, that a run stopped and
// resumed ends bit-identical to an uninterrupted one, and that a
// cross-encoder and a SPLADE student load the checkpoint by name.
func TestPretrainLearnsResumesAndInitialises(t *testing.T) {
	f := getFixture(t)
	dir := t.TempDir()
	a := tinyPretrainConfig(t, f, filepath.Join(dir, "a"))
	res, err := Pretrain(context.Background(), a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := valRows(t, a.Out)
	if len(rows) < 2 {
		t.Fatalf("%d validation rows", len(rows))
	}
	first, last := *rows[0].ValLoss, *rows[len(rows)-1].ValLoss
	if math.Abs(first-math.Log(float64(f.vocab))) > 0.05 {
		t.Errorf("untrained validation loss %.4f, want about log %d = %.4f", first, f.vocab, math.Log(float64(f.vocab)))
	}
	if last > first-1 {
		t.Errorf("validation loss %.4f → %.4f: want a fall of at least 1 nat", first, last)
	}
	t.Logf("validation masked-LM loss %.3f → %.3f over %d steps (%d sequences)", first, last, res.Step, res.TrainSequences)

	r := a
	r.Out = filepath.Join(dir, "resumed")
	if _, err := Pretrain(context.Background(), r, Options{StopAt: 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := Pretrain(context.Background(), r, Options{}); !errors.Is(err, ErrRunExists) {
		t.Fatalf("a second run into the same folder without Resume: %v, want ErrRunExists", err)
	}
	changed := r
	changed.MaskProb = 0.2
	if _, err := Pretrain(context.Background(), changed, Options{Resume: true}); err == nil || !strings.Contains(err.Error(), "mask_prob") {
		t.Fatalf("resuming with another mask_prob: %v, want an error naming it", err)
	}
	if res, err = Pretrain(context.Background(), r, Options{Resume: true}); err != nil || res.Resumed != 30 || res.Step != 60 {
		t.Fatalf("resume: %+v, %v", res, err)
	}
	weightsEqual(t, filepath.Join(a.Out, "step-000060"), filepath.Join(r.Out, "step-000060"))

	ck := filepath.Join(a.Out, "best")
	// The checkpoint carries the portable tokenizer.json, as students' do: no fixed
	// padding or truncation for a Hugging Face user to switch off.
	var tj map[string]any
	if raw, err := os.ReadFile(filepath.Join(ck, "tokenizer.json")); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(raw, &tj); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"padding", "truncation"} {
		if v, ok := tj[k]; !ok || v != nil {
			t.Errorf("pretrain checkpoint tokenizer.json %s = %v (present %v), want null", k, v, ok)
		}
	}
	c := tinyConfig(f, student.KindCrossEncoder, "")
	c.MaxPosition = 64
	tok, err := tokenizer.Load(f.tokenizer)
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []student.Kind{student.KindCrossEncoder, student.KindSPLADE} {
		c.Arch = arch
		sc, err := studentConfig(c, tok)
		if err != nil {
			t.Fatal(err)
		}
		m, err := student.New(G.NewGraph(), sc, 5)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := InitFrom(m, ck)
		if err != nil {
			t.Fatal(err)
		}
		want := map[student.Kind][]string{student.KindCrossEncoder: {"bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"}, student.KindSPLADE: nil}[arch]
		if !slices.Equal(rep.Missing, want) || len(rep.Skipped) > 0 {
			t.Errorf("%s from the pretrained checkpoint: missing %v (want %v), skipped %v", arch, rep.Missing, want, rep.Skipped)
		}
	}
}
