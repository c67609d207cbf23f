package bm25

import "strings"

// stripPossessive removes a trailing 's or 'S whose apostrophe is U+0027,
// U+2019 (’) or U+FF07 (＇), as Lucene's EnglishPossessiveFilter does:
// "John's" → "John", "O’Neil’s" → "O’Neil". Other tokens are returned
// unchanged; "James'" never reaches here with its apostrophe, because the
// tokenizer keeps apostrophes only between letters.
func stripPossessive(tok string) string {
	if !strings.HasSuffix(tok, "s") && !strings.HasSuffix(tok, "S") {
		return tok
	}
	rest := tok[:len(tok)-1]
	for _, apos := range [...]string{"'", "\u2019", "\uFF07"} {
		if strings.HasSuffix(rest, apos) {
			return rest[:len(rest)-len(apos)]
		}
	}
	return tok
}
