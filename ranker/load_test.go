package ranker

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

const tokPath = "../data/tokenizers/bert-base-uncased/tokenizer.json"

// tinyEncoder is a two-layer BERT over the real uncased vocabulary.
func tinyEncoder() student.EncoderConfig {
	return student.EncoderConfig{VocabSize: 30522, Hidden: 32, Layers: 2, Heads: 2, FFN: 64,
		MaxPosition: 128, TypeVocabSize: 2, LayerNormEps: 1e-12}
}

// newStudent creates a student of cfg with weights drawn from seed.
func newStudent(t *testing.T, cfg student.Config, seed uint64) student.Model {
	t.Helper()
	m, err := student.New(G.NewGraph(), cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// tokenizerJSON returns the real BERT uncased tokenizer.json.
func tokenizerJSON(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile(tokPath)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// saveRun saves m's weights into a new run folder with the given
// config.json model part (and tokenizer.json, unless tok is nil) and returns
// the run folder.
func saveRun(t *testing.T, m student.Model, model any, tok []byte) string {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	run := t.TempDir()
	ck := &checkpoints.Checkpoint{Config: checkpoints.Config{Architecture: string(m.Config().Kind), Model: raw, Seed: 5},
		Weights: student.Weights(m.Params()), Tokenizer: tok, Trainer: checkpoints.TrainerState{Step: 3}}
	if _, err := checkpoints.Save(run, ck); err != nil {
		t.Fatal(err)
	}
	return run
}

// TestLoadScoresLikeTheSavedModel saves a ColBERT student the way `distill
// student train` records it and checks that Load restores a model that
// scores text exactly as the saved one scores the same token ids.
func TestLoadScoresLikeTheSavedModel(t *testing.T) {
	cb := student.DefaultColBERT(tinyEncoder())
	cb.Dim, cb.QueryLength = 16, 12
	cfg := student.Config{Kind: student.KindColBERT, ColBERT: &cb}
	m := newStudent(t, cfg, 7)
	model := map[string]any{"student": cfg, "training": map[string]any{"arch": "colbert", "labels": "labels/",
		"max_query_length": 12, "max_doc_length": 24}}
	run := saveRun(t, m, model, tokenizerJSON(t))

	r, err := Load(run)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind() != student.KindColBERT || r.Labels != "labels/" || r.Checkpoint.Trainer.Step != 3 {
		t.Errorf("loaded kind %q, labels %q, step %d", r.Kind(), r.Labels, r.Checkpoint.Trainer.Step)
	}
	// ColBERT leaves one position for its [Q]/[D] marker.
	if r.Encoder.QueryWidth != 11 || r.Encoder.DocWidth != 23 {
		t.Errorf("encoder widths %d/%d, want 11/23", r.Encoder.QueryWidth, r.Encoder.DocWidth)
	}
	query := "what is the boiling point of water"
	docs := []string{"water boils at one hundred degrees celsius at sea level, and at lower temperatures on mountains.",
		"the stock market fell sharply on monday."}
	got, err := r.Score(query, docs...)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.Load(tokPath)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(text string, width int) []int32 { return tok.EncodeSingle(text, width).IDs }
	if q := ids(query, 11); len(q) != 9 || q[0] != tok.Special().CLS {
		t.Fatalf("query ids %v", q)
	}
	if d := ids(docs[0], 23); len(d) != 23 {
		t.Fatalf("document ids %v: want it cut to 23", d)
	}
	want, err := m.Score(ids(query, 11), ids(docs[0], 23), ids(docs[1], 23))
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-6*math.Abs(float64(want[i])) || got[i] == 0 {
			t.Errorf("document %d: loaded model scores %v, saved model %v", i, got[i], want[i])
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(t.TempDir()); !errors.Is(err, checkpoints.ErrNoCheckpoint) {
		t.Errorf("empty folder: %v, want ErrNoCheckpoint", err)
	}
	sp := student.DefaultSPLADE(tinyEncoder())
	cfg := student.Config{Kind: student.KindSPLADE, SPLADE: &sp}
	run := saveRun(t, newStudent(t, cfg, 1), map[string]any{"student": cfg}, nil)
	if lm, ck, err := LoadModel(run); err != nil || lm.Config().Kind != student.KindSPLADE || ck.Tokenizer != nil {
		t.Errorf("LoadModel without a tokenizer: %v", err)
	}
	if _, err := Load(run); err == nil || !strings.Contains(err.Error(), checkpoints.TokenizerFile) {
		t.Errorf("Load without a tokenizer: %v, want an error naming %s", err, checkpoints.TokenizerFile)
	}
}

// TestModelConfigKinds checks the kind detection of checkpoint configs.
func TestModelConfigKinds(t *testing.T) {
	sp := student.DefaultSPLADE(tinyEncoder())
	spCfg := student.Config{Kind: student.KindSPLADE, SPLADE: &sp}
	enc := tinyEncoder()
	hf := map[string]any{"architectures": []string{"BertForSequenceClassification"}, "vocab_size": enc.VocabSize,
		"hidden_size": enc.Hidden, "num_hidden_layers": enc.Layers, "num_attention_heads": enc.Heads,
		"intermediate_size": enc.FFN, "max_position_embeddings": enc.MaxPosition, "type_vocab_size": 2,
		"layer_norm_eps": 1e-12, "pad_token_id": 0}
	for _, c := range []struct {
		name, arch string
		model      any
		want       student.Kind
	}{
		{"student block", "splade", map[string]any{"student": spCfg}, student.KindSPLADE},
		{"bare student config", "splade", spCfg, student.KindSPLADE},
		{"hugging face cross-encoder", "BertForSequenceClassification", hf, student.KindCrossEncoder},
	} {
		raw, _ := json.Marshal(c.model)
		got, err := ModelConfig(&checkpoints.Checkpoint{Config: checkpoints.Config{Architecture: c.arch, Model: raw}})
		if err != nil || got.Kind != c.want {
			t.Errorf("%s: kind %q, %v; want %q", c.name, got.Kind, err, c.want)
		}
		if c.want == student.KindCrossEncoder && (err != nil || got.CrossEncoder.Encoder != enc) {
			t.Errorf("%s: encoder %+v, want %+v", c.name, got.CrossEncoder, enc)
		}
	}
	raw, _ := json.Marshal(map[string]any{"hidden_size": 8})
	if _, err := ModelConfig(&checkpoints.Checkpoint{Config: checkpoints.Config{Architecture: "bm25", Model: raw}}); err == nil {
		t.Error("no student config: want an error")
	}
}
