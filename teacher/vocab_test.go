package teacher

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-ml/distill/bertonnx"
)

// TestCheckVocabulary pairs models and tokenizers of matching and
// mismatched sizes: a tokenizer with more ids than the model's embedding
// table is refused with both files named, one with fewer is a warning,
// equal sizes pass silently.
func TestCheckVocabulary(t *testing.T) {
	const bertTok, robertaTok = "../data/tokenizers/bert-base-uncased/tokenizer.json", "../data/tokenizers/tiny-roberta-bpe/tokenizer.json"
	bert, err := LoadTokenizer(bertTok)
	if err != nil {
		t.Fatal(err)
	}
	roberta, err := LoadTokenizer(robertaTok)
	if err != nil {
		t.Fatal(err)
	}
	small := roberta.(interface{ VocabSize() int }).VocabSize()
	dir := t.TempDir()
	write := func(name string, cfg bertonnx.Config) string {
		path := filepath.Join(dir, name)
		if err := bertonnx.WriteCrossEncoder(path, cfg, bertonnx.RandomWeights(cfg, 5), bertonnx.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bertModel := write("bert.onnx", bertonnx.Tiny())                                                       // 30,522 rows
	robertaModel := write("roberta.onnx", bertonnx.TinyRoBERTa(small, int(roberta.(hfTokenizer).PadID()))) // the tiny tokenizer's size

	if w, err := CheckVocabulary(bertModel, bertTok, bert); w != "" || err != nil {
		t.Errorf("matching BERT model and tokenizer: warning %q, error %v", w, err)
	}
	if w, err := CheckVocabulary(robertaModel, robertaTok, roberta); w != "" || err != nil {
		t.Errorf("matching RoBERTa model and tokenizer: warning %q, error %v", w, err)
	}
	_, err = CheckVocabulary(robertaModel, bertTok, bert)
	if err == nil || !strings.Contains(err.Error(), robertaModel) || !strings.Contains(err.Error(), bertTok) ||
		!strings.Contains(err.Error(), "30522 token ids") || !strings.Contains(err.Error(), "8261 rows") {
		t.Errorf("BERT tokenizer on a %d-row model: error %v, want one naming both files and both sizes", small, err)
	}
	w, err := CheckVocabulary(bertModel, robertaTok, roberta)
	if err != nil || !strings.Contains(w, robertaTok) || !strings.Contains(w, "30522 rows") {
		t.Errorf("small tokenizer on the BERT model: warning %q, error %v, want a warning naming the sizes", w, err)
	}
}
