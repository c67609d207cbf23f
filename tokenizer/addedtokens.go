package tokenizer

import "strings"

// addedTokens finds added tokens ([CLS], [SEP], [MASK], ...) in raw text.
// Hugging Face matches tokens with normalized=false on the text before
// normalization, leftmost-longest, and gives each match its own id; the text
// between matches is normalized and tokenized as usual. "[cls]" does not
// match "[CLS]".
type addedTokens struct {
	first  [256]bool // first bytes of the tokens
	tokens []addedToken
}

type addedToken struct {
	content string
	id      int32
}

// add registers a token; empty contents are ignored.
func (a *addedTokens) add(content string, id int32) {
	if content == "" {
		return
	}
	a.first[content[0]] = true
	a.tokens = append(a.tokens, addedToken{content, id})
}

// find returns the leftmost-longest added token in s as s[start:end] and its
// id; start is -1 when there is none.
func (a *addedTokens) find(s string) (start, end int, id int32) {
	if len(a.tokens) == 0 {
		return -1, -1, 0
	}
	for i := 0; i < len(s); i++ {
		if !a.first[s[i]] {
			continue
		}
		best := -1
		for _, t := range a.tokens {
			if len(t.content) > best && strings.HasPrefix(s[i:], t.content) {
				best, id = len(t.content), t.id
			}
		}
		if best > 0 {
			return i, i + best, id
		}
	}
	return -1, -1, 0
}
