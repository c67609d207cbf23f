package training

import (
	"bytes"
	"encoding/json"
)

// portableTokenizer returns the tokenizer.json a checkpoint carries: the
// training tokenizer with its "padding" and "truncation" set to null, as
// sentence-transformers and PyLate save theirs, so that a Hugging Face user
// encoding with it gets unpadded, untruncated encodings (BERT's published
// tokenizer.json pads and truncates to a fixed 128) and chooses lengths per
// call. distill's own lengths are in the checkpoint's config. A file
// without either setting (or not JSON) is returned as it is.
func portableTokenizer(raw []byte) []byte {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return raw
	}
	changed := false
	for _, k := range []string{"padding", "truncation"} {
		if v, ok := doc[k]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			doc[k] = json.RawMessage("null")
			changed = true
		}
	}
	if !changed {
		return raw
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return raw
	}
	return append(out, '\n')
}
