package tokenizer

import "unicode/utf8"

// SpecialIDs holds the ids of the special tokens; -1 marks a token the
// vocabulary lacks. RoBERTa and XLM-R name them <s>, </s>, <pad>, <mask>
// and <unk>.
type SpecialIDs struct {
	CLS, SEP, PAD, MASK, UNK int32
}

// Special returns the ids of [CLS], [SEP], [PAD] and [MASK] (or <s>, </s>,
// <pad> and <mask> when the vocabulary has no [CLS] ...) and the model's unk
// token; the pad id named by the padding settings wins when the file has
// them.
func (t *Tokenizer) Special() SpecialIDs { return t.special }

// VocabSize returns one more than the largest token id: the number of rows
// of the model's embedding matrix (30522 for bert-base-uncased).
func (t *Tokenizer) VocabSize() int { return len(t.vocab) }

// TokenToID returns the id of a vocabulary entry or added token.
func (t *Tokenizer) TokenToID(token string) (int32, bool) {
	id, ok := t.ids[token]
	return id, ok
}

// IDToToken returns the token with the given id, and "" for an id outside
// the vocabulary.
func (t *Tokenizer) IDToToken(id int32) string {
	if id < 0 || int(id) >= len(t.vocab) {
		return ""
	}
	return t.vocab[id]
}

// Tokens returns the tokens of ids, for debugging.
func (t *Tokenizer) Tokens(ids []int32) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = t.IDToToken(id)
	}
	return out
}

// IsPunctuation reports whether the token with the given id is a single
// punctuation character as BertPreTokenizer defines it (ASCII punctuation
// ranges, which include $ + < = > ^ ` | ~, or a Unicode P* category). ColBERT
// masks such tokens in documents.
func (t *Tokenizer) IsPunctuation(id int32) bool {
	return id >= 0 && int(id) < len(t.punct) && t.punct[id]
}

// SHA256 returns the hex SHA-256 of the file the tokenizer was loaded from.
func (t *Tokenizer) SHA256() string { return t.sha256hex }

// isPunctToken reports a token that is exactly one punctuation character.
func isPunctToken(tok string) bool {
	r, n := utf8.DecodeRuneInString(tok)
	return n > 0 && n == len(tok) && r != utf8.RuneError && isPunct(r)
}
