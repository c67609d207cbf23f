package tokenizer

import "strings"

// addedTokens finds added tokens ([CLS], [SEP], <mask>, ...) in text.
// Hugging Face matches tokens with normalized=false on the text before
// normalization (and tokens with normalized=true on each normalized piece),
// leftmost-longest, and gives each match its own id; the text between
// matches is normalized and tokenized as usual. "[cls]" does not match
// "[CLS]". A token with lstrip (rstrip) also swallows the whitespace before
// (after) it, as RoBERTa's and XLM-R's <mask> does.
type addedTokens struct {
	first  [256]bool // first bytes of the tokens
	tokens []addedToken
}

type addedToken struct {
	content        string
	id             int32
	lstrip, rstrip bool
}

// add registers a token; empty contents are ignored.
func (a *addedTokens) add(tok addedToken) {
	if tok.content == "" {
		return
	}
	a.first[tok.content[0]] = true
	a.tokens = append(a.tokens, tok)
}

// appendSplit appends the ids of s to dst: each added token's id, and for
// the text between tokens what piece appends (atStart: the text begins s).
func (a *addedTokens) appendSplit(dst []int32, s string, piece func(dst []int32, text string, atStart bool) []int32) []int32 {
	for pos := 0; pos < len(s); {
		i, j, id := a.find(s, pos)
		end := i
		if i < 0 {
			end = len(s)
		}
		if end > pos {
			dst = piece(dst, s[pos:end], pos == 0)
		}
		if i < 0 {
			break
		}
		dst = append(dst, id)
		pos = j
	}
	return dst
}

// find returns the leftmost-longest added token in s[from:] as s[start:end]
// (whitespace taken by lstrip/rstrip included, lstrip never reaching before
// from) and its id; start is -1 when there is none.
func (a *addedTokens) find(s string, from int) (start, end int, id int32) {
	if len(a.tokens) == 0 {
		return -1, -1, 0
	}
	for i := from; i < len(s); i++ {
		if !a.first[s[i]] {
			continue
		}
		best := -1
		var tok addedToken
		for _, t := range a.tokens {
			if len(t.content) > best && strings.HasPrefix(s[i:], t.content) {
				best, tok = len(t.content), t
			}
		}
		if best <= 0 {
			continue
		}
		start, end = i, i+best
		if tok.lstrip {
			start = max(from, len(strings.TrimRightFunc(s[:start], isWhitespace)))
		}
		if tok.rstrip {
			end = len(s) - len(strings.TrimLeftFunc(s[end:], isWhitespace))
		}
		return start, end, tok.id
	}
	return -1, -1, 0
}
