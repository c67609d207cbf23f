package export

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/teacher"
)

// saveCheckpoint saves m into a run folder with the given model config
// JSON and the real tokenizer, and returns the run folder.
func saveCheckpoint(t *testing.T, m student.Model, arch student.Kind, model any) string {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := os.ReadFile(tokPath)
	if err != nil {
		t.Fatal(err)
	}
	run := t.TempDir()
	ck := &checkpoints.Checkpoint{Config: checkpoints.Config{Architecture: string(arch), Model: raw, Seed: 99},
		Weights: student.Weights(m.Params()), Tokenizer: tok, Trainer: checkpoints.TrainerState{Step: 7}}
	if _, err := checkpoints.Save(run, ck); err != nil {
		t.Fatal(err)
	}
	return run
}

// TestCheckpointLabelsWithTeacher exports a cross-encoder checkpoint (a
// run folder, config as `distill student train` writes it), then labels
// real candidates with the exported model through teacher.Label: the labels
// equal the student's own scores of the same pairs.
func TestCheckpointLabelsWithTeacher(t *testing.T) {
	f := realTexts(t)
	cfg := crossEncoderConfig()
	m := newModel(t, cfg, 21)
	run := saveCheckpoint(t, m, student.KindCrossEncoder, map[string]any{"model_type": "bert", "student": cfg})
	out := filepath.Join(t.TempDir(), "served")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Checkpoint(run, filepath.Join(out, "model.onnx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != student.KindCrossEncoder || res.Tokenizer != filepath.Join(out, "tokenizer.json") {
		t.Errorf("result %+v", res)
	}
	if a, _ := os.ReadFile(res.Tokenizer); len(a) == 0 {
		t.Fatal("tokenizer.json not copied")
	}

	work := t.TempDir()
	cands := filepath.Join(work, "candidates.run")
	if err := datasets.WriteRun(cands, f.run, "test"); err != nil {
		t.Fatal(err)
	}
	tok, err := teacher.LoadTokenizer(res.Tokenizer)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := teacher.NewONNXScorer(res.Model, teacher.ONNXOptions{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	const maxLen = 96
	job := &teacher.LabelJob{Model: res.Model, Tokenizer: res.Tokenizer, Queries: filepath.Join(dataDir, "queries.jsonl"),
		Corpus: filepath.Join(dataDir, "corpus.jsonl"), Candidates: cands, Out: filepath.Join(work, "labels"),
		MaxLength: maxLen, BatchSize: 4, ChunkPairs: 4, Activation: "none (raw logit)"}
	eng := &teacher.Engine{Scorer: sc, Tokenizer: tok, MaxLength: maxLen, BatchSize: 4, Workers: 1}
	lres, err := teacher.Label(context.Background(), job, eng, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := labels.ReadDir(lres.Dir)
	if err != nil {
		t.Fatal(err)
	}
	docIndex := map[string]int{}
	for i, d := range f.docIDs {
		docIndex[d] = i
	}
	ce := m.(*student.CrossEncoder)
	worst, n := 0.0, 0
	for _, r := range rows {
		for k, d := range r.DocumentIDs {
			i := docIndex[d]
			ids, types := student.JoinPair(f.queryToks[i/2], f.docToks[i], maxLen)
			mask := make([]int32, len(ids))
			for j := range mask {
				mask[j] = 1
			}
			want, err := ce.Logits(&student.PairBatch{IDs: [][]int32{ids}, TypeIDs: [][]int32{types}, Mask: [][]int32{mask}})
			if err != nil {
				t.Fatal(err)
			}
			worst = math.Max(worst, math.Abs(float64(r.Scores[k]-want[0])))
			n++
		}
	}
	t.Logf("teacher.Label with the exported model: %d pairs of %d queries, max |label − student| = %.2g", n, len(rows), worst)
	if n != len(f.docIDs) || worst > tol {
		t.Errorf("%d labels (want %d), max abs diff %g > %g", n, len(f.docIDs), worst, tol)
	}
}

// TestCheckpointSPLADE exports a SPLADE checkpoint folder (not a run
// folder) and reads the student config back from the model's metadata.
func TestCheckpointSPLADE(t *testing.T) {
	sp := student.DefaultSPLADE(tinyEncoder())
	cfg := student.Config{Kind: student.KindSPLADE, SPLADE: &sp}
	m := newModel(t, cfg, 22)
	run := saveCheckpoint(t, m, student.KindSPLADE, cfg)
	path := filepath.Join(t.TempDir(), "splade.onnx")
	res, err := Checkpoint(filepath.Join(run, checkpoints.StepDir(7)), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != student.KindSPLADE || res.Output != bertonnx.OutputSparseWeights || res.Params == 0 {
		t.Errorf("result %+v", res)
	}
	ids, mask := padRows(realTexts(t).queryToks[:2])
	got, _ := runORT(t, path, res.Inputs, [][][]int32{ids, mask}, res.Output)
	want, err := m.(*student.SPLADE).EncodeQueries(realTexts(t).queryToks[:2])
	if err != nil {
		t.Fatal(err)
	}
	V := sp.Encoder.VocabSize
	for b, v := range want {
		for k, j := range v.Terms {
			if d := math.Abs(float64(got[b*V+int(j)] - v.Weights[k])); d > tol {
				t.Fatalf("query %d, term %d: ORT %v, student %v", b, j, got[b*V+int(j)], v.Weights[k])
			}
		}
	}
}
