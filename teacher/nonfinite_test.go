package teacher

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/tokenizer"
)

// nanModel writes the fixture's cross-encoder with the word embedding of one
// token set to NaN: every pair whose input holds that token scores NaN,
// every other pair scores as with the fixture's model. The token is one of
// some queries' tokens that no candidate document has, so the pairs that
// score NaN are exactly those of the queries returned.
func nanModel(t *testing.T, f *fixture) (model string, poisoned []string) {
	t.Helper()
	in := mustInputs(t, f)
	tok, err := tokenizer.Load(tokPath)
	if err != nil {
		t.Fatal(err)
	}
	inDocs := map[int32]bool{}
	for _, g := range in.Groups {
		for _, d := range g.DocIDs {
			for _, id := range tok.Tokenize(in.Texts.Docs[d]) {
				inDocs[id] = true
			}
		}
	}
	var token int32 = -1
	for _, g := range in.Groups {
		for _, id := range tok.Tokenize(in.Texts.Queries[g.QueryID]) {
			if !inDocs[id] && !tok.IsPunctuation(id) {
				token = id
				break
			}
		}
		if token >= 0 {
			break
		}
	}
	if token < 0 {
		t.Fatal("no query token is absent from every candidate document")
	}
	for _, g := range in.Groups {
		if slices.Contains(tok.Tokenize(in.Texts.Queries[g.QueryID]), token) {
			poisoned = append(poisoned, g.QueryID)
		}
	}
	// bertonnx refuses to write non-finite weights: patch the token's row
	// in the model's raw little-endian float32 initialiser instead.
	emb := f.weights["bert.embeddings.word_embeddings.weight"]
	h := emb.Shape[1]
	row := make([]byte, 0, 4*h)
	nan := make([]byte, 0, 4*h)
	for _, v := range emb.Data[int(token)*h : int(token+1)*h] {
		row = binary.LittleEndian.AppendUint32(row, math.Float32bits(v))
		nan = binary.LittleEndian.AppendUint32(nan, 0x7fc00000)
	}
	data, err := os.ReadFile(f.model)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(data, row) != 1 {
		t.Fatalf("the embedding row of token %d occurs %d times in the model", token, bytes.Count(data, row))
	}
	model = filepath.Join(t.TempDir(), "nan.onnx")
	if err := os.WriteFile(model, bytes.Replace(data, row, nan, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return model, poisoned
}

// TestLabelRefusesNonFiniteScores (issue 10, case 3): a model that scores
// some pairs NaN stops the job naming the query, the document and the
// model; with NonFiniteSkip exactly those pairs are dropped and counted,
// and every other score equals the sane model's.
func TestLabelRefusesNonFiniteScores(t *testing.T) {
	f := getFixture(t)
	model, poisoned := nanModel(t, f)
	job := f.job(t.TempDir())
	job.Model = model
	_, err := Label(context.Background(), job, newEngine(t, model, 1), zap.NewNop())
	var nf *NonFiniteScoreError
	if !errors.As(err, &nf) || !slices.Contains(poisoned, nf.QueryID) || nf.DocID == "" || !math.IsNaN(float64(nf.Score)) ||
		!strings.Contains(err.Error(), model) || !strings.Contains(err.Error(), "NonFiniteSkip") {
		t.Fatalf("labelling with a NaN-scoring model: %v, want a NonFiniteScoreError naming one of the queries %v", err, poisoned)
	}

	want := t.TempDir()
	if _, err := Label(context.Background(), f.job(want), newEngine(t, f.model, 1), zap.NewNop()); err != nil {
		t.Fatal(err)
	}
	sane := readLabels(t, want)
	job = f.job(t.TempDir())
	job.Model, job.NonFinite = model, NonFiniteSkip
	res, err := Label(context.Background(), job, newEngine(t, model, 1), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	dropped := 0
	for _, q := range poisoned {
		dropped += len(sane[q].DocumentIDs)
	}
	if res.NonFiniteDropped != dropped || dropped == 0 {
		t.Errorf("dropped %d pairs, want the %d of queries %v", res.NonFiniteDropped, dropped, poisoned)
	}
	got := readLabels(t, job.Out)
	for q, row := range sane {
		if slices.Contains(poisoned, q) {
			if len(got[q].DocumentIDs) != 0 {
				t.Errorf("query %s kept %d pairs scored NaN", q, len(got[q].DocumentIDs))
			}
			continue
		}
		for i, s := range got[q].Scores {
			if d := math.Abs(float64(s - row.Scores[i])); d > 1e-5 || got[q].DocumentIDs[i] != row.DocumentIDs[i] {
				t.Fatalf("query %s pair %d: %s %v, the sane model %s %v", q, i, got[q].DocumentIDs[i], s, row.DocumentIDs[i], row.Scores[i])
			}
		}
	}
	// Run again: the chunks with dropped pairs are complete, nothing is redone.
	again, err := Label(context.Background(), job, newEngine(t, model, 1), zap.NewNop())
	if err != nil || !again.AlreadyComplete {
		t.Errorf("a second run: %+v, %v; want already complete", again, err)
	}
}

// TestLabelLocksOutput (issue 10, case 2): a second labelling job on a
// folder in use fails at once naming the holder, without writing anything.
func TestLabelLocksOutput(t *testing.T) {
	f := getFixture(t)
	out := t.TempDir()
	lock, err := fsutil.LockDir(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Label(context.Background(), f.job(out), newEngine(t, f.model, 1), zap.NewNop())
	if !errors.Is(err, fsutil.ErrLocked) || !strings.Contains(err.Error(), out) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("labelling into a locked folder: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("the refused job wrote %d entries", len(entries))
	}
	lock.Unlock()
	if _, err := Label(context.Background(), f.job(out), newEngine(t, f.model, 1), zap.NewNop()); err != nil {
		t.Fatal(err)
	}
}
