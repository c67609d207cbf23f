package teacher

import (
	"fmt"

	"github.com/distill-ml/distill/bertonnx"
)

// CheckVocabulary compares the token ids the tokenizer can produce with the
// rows of the model's token embedding table (bertonnx.EmbeddingRows), before
// anything is scored:
//
//   - more ids than rows is an error: a pair holding an id past the table
//     would stop ONNX Runtime mid-job with an out-of-bounds Gather;
//   - fewer is a warning: tables padded to a round size are common, but a
//     tokenizer of another model of the same family (cased for uncased,
//     say) also fits, and would give wrong labels without any error.
//
// Where the table is not found, or the tokenizer cannot tell its size, it
// says nothing: the model has already loaded in ONNX Runtime, which is the
// judge of the file.
func CheckVocabulary(model, tokenizerPath string, tok Tokenizer) (warning string, err error) {
	sized, ok := tok.(interface{ VocabSize() int })
	if !ok {
		return "", nil
	}
	rows, table, found, err := bertonnx.EmbeddingRows(model)
	if err != nil || !found {
		return "", nil
	}
	switch ids := sized.VocabSize(); {
	case ids > rows:
		return "", fmt.Errorf("teacher: tokenizer %s has %d token ids, but model %s's token embedding table (%s) has %d rows: "+
			"the tokenizer is not the model's (pass the tokenizer.json exported with the model)", tokenizerPath, ids, model, table, rows)
	case ids < rows:
		return fmt.Sprintf("tokenizer %s has %d token ids, model %s's token embedding table (%s) %d rows: check that the tokenizer is the model's",
			tokenizerPath, ids, model, table, rows), nil
	}
	return "", nil
}

// Load loads a cross-encoder for scoring: its tokenizer (LoadTokenizer),
// the model in ONNX Runtime (NewONNXScorer), and checks that the two
// belong together (CheckVocabulary, whose warning it returns).
func Load(model, tokenizerPath string, opts ONNXOptions) (tok Tokenizer, sc *ONNXScorer, warning string, err error) {
	if tok, err = LoadTokenizer(tokenizerPath); err != nil {
		return nil, nil, "", err
	}
	if sc, err = NewONNXScorer(model, opts); err != nil {
		return nil, nil, "", err
	}
	if warning, err = CheckVocabulary(model, tokenizerPath, tok); err != nil {
		sc.Close()
		return nil, nil, "", err
	}
	return tok, sc, warning, nil
}
