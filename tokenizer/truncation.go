package tokenizer

// Strategy is a truncation strategy of Hugging Face tokenizers.
type Strategy string

// Truncation strategies.
const (
	LongestFirst Strategy = "LongestFirst" // shorten the longer sequence first
	OnlyFirst    Strategy = "OnlyFirst"    // shorten only the first sequence
	OnlySecond   Strategy = "OnlySecond"   // shorten only the second sequence
)

// Direction is the side a sequence loses tokens from (truncation) or gains
// them on (padding).
type Direction string

// Directions.
const (
	Right Direction = "Right"
	Left  Direction = "Left"
)

// Truncation holds the truncation settings of a tokenizer.json. The Encode
// and Build methods take the maximum length as an argument and use Strategy
// and Direction from here (LongestFirst and Right when the file has none).
type Truncation struct {
	MaxLength int
	Strategy  Strategy
	Direction Direction
	Stride    int // kept for reference; overflowing windows are not produced
}

// keep returns how many tokens of sequences of n1 and n2 tokens survive when
// the two must fit in budget tokens, as Hugging Face's truncate_encodings
// does (special tokens are already taken out of budget). For a single
// sequence pass pair=false and n2=0. Where Hugging Face would fail
// (OnlyFirst/OnlySecond with a target too short), the target is cut to zero.
//
// LongestFirst on a pair, with n1 <= n2 after an optional swap:
//
//	n1 > budget:        n2 = n1
//	otherwise:          n2 = max(n1, budget-n1)
//	if n1 + n2 > budget: n1 = budget/2, n2 = n1 + budget%2
//
// then each sequence is cut to min(its length, its n).
func (s Strategy) keep(n1, n2, budget int, pair bool) (int, int) {
	if n1+n2 <= budget {
		return n1, n2
	}
	remove := n1 + n2 - budget
	switch {
	case !pair:
		return max(0, n1-remove), 0
	case s == OnlyFirst:
		return max(0, n1-remove), n2
	case s == OnlySecond:
		return n1, max(0, n2-remove)
	}
	a, b := n1, n2
	swap := a > b
	if swap {
		a, b = b, a
	}
	if a > budget {
		b = a
	} else {
		b = max(a, budget-a)
	}
	if a+b > budget {
		a = budget / 2
		b = a + budget%2
	}
	if swap {
		a, b = b, a
	}
	return min(n1, a), min(n2, b)
}

// cut returns the n tokens of ids that truncation in direction d keeps.
func (d Direction) cut(ids []int32, n int) []int32 {
	if n >= len(ids) {
		return ids
	}
	if d == Left {
		return ids[len(ids)-n:]
	}
	return ids[:n]
}

// JoinSingles joins two single-sequence encodings of BERT's layout,
// [CLS] a [SEP] and [CLS] b [SEP] (as EncodeSingle gives them, [CLS] and
// [SEP] taken from the first), into the pair encoding
// [CLS] a [SEP] b [SEP] with type ids 0 for [CLS] a [SEP] and 1 for b [SEP],
// truncated to maxLen positions (≤ 0: no limit) longest first from the
// right: what BuildPair gives for the ids of a and b under BERT's template
// and the default truncation. For callers that hold encoded texts but not
// the tokenizer (the student cross-encoder). A sequence shorter than 2
// contributes no tokens.
func JoinSingles(a, b []int32, maxLen int) Encoding {
	var cls, sep int32
	if len(a) > 0 {
		cls = a[0]
	}
	if len(a) > 1 {
		sep = a[len(a)-1]
	}
	inner := func(s []int32) []int32 {
		if len(s) < 2 {
			return nil
		}
		return s[1 : len(s)-1]
	}
	a, b = inner(a), inner(b)
	_, pair := bertTemplates(cls, sep)
	if maxLen > 0 {
		na, nb := LongestFirst.keep(len(a), len(b), max(0, maxLen-pair.specials()), true)
		a, b = Right.cut(a, na), Right.cut(b, nb)
	}
	var e Encoding
	pair.fill(&e, a, b)
	return e
}
