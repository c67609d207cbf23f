package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
)

const (
	supportedModels        = "WordPiece, as in BERT models"
	supportedNormalizers   = "BertNormalizer, or null"
	supportedPreTokenizers = "BertPreTokenizer"
	supportedProcessors    = "TemplateProcessing, BertProcessing, or null"
)

// isNull reports an absent or JSON null component.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// typeOf returns a component's "type".
func typeOf(raw json.RawMessage, what string) (string, error) {
	var t typed
	if err := json.Unmarshal(raw, &t); err != nil {
		return "", invalidf("%s: %v", what, err)
	}
	return t.Type, nil
}

// unwrapSequence returns the only element of a one-element Sequence (which
// behaves as that element) and raw itself otherwise.
func unwrapSequence(raw json.RawMessage, kind, what string) (json.RawMessage, error) {
	typ, err := typeOf(raw, what)
	if err != nil || typ != "Sequence" {
		return raw, err
	}
	var s sequenceJSON
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, invalidf("%s: %v", what, err)
	}
	var items []json.RawMessage
	switch kind {
	case "normalizers":
		items = s.Normalizers
	case "pretokenizers":
		items = s.PreTokenizers
	default:
		items = s.Processors
	}
	if len(items) != 1 {
		return nil, &UnsupportedError{Component: what, Found: fmt.Sprintf("Sequence of %d %s", len(items), kind),
			Supported: "a Sequence holding exactly one supported element"}
	}
	return unwrapSequence(items[0], kind, what)
}

// parseNormalizer reads a BertNormalizer (or null: no normalization).
// strip_accents null follows lowercase, as in Hugging Face.
func parseNormalizer(raw json.RawMessage) (normalizer, error) {
	if isNull(raw) {
		return normalizer{}, nil
	}
	raw, err := unwrapSequence(raw, "normalizers", "normalizer")
	if err != nil {
		return normalizer{}, err
	}
	typ, err := typeOf(raw, "normalizer")
	if err != nil {
		return normalizer{}, err
	}
	if typ != "BertNormalizer" {
		return normalizer{}, &UnsupportedError{Component: "normalizer", Found: typ, Supported: supportedNormalizers}
	}
	var b bertNormalizerJSON
	if err := json.Unmarshal(raw, &b); err != nil {
		return normalizer{}, invalidf("normalizer: %v", err)
	}
	flag := func(p *bool, def bool) bool {
		if p == nil {
			return def
		}
		return *p
	}
	n := normalizer{
		cleanText:    flag(b.CleanText, true),
		chineseChars: flag(b.HandleChineseChars, true),
		lowercase:    flag(b.Lowercase, true),
	}
	n.stripAccents = flag(b.StripAccents, n.lowercase)
	return n, nil
}

// checkPreTokenizer accepts BertPreTokenizer only.
func checkPreTokenizer(raw json.RawMessage) error {
	if isNull(raw) {
		return &UnsupportedError{Component: "pre_tokenizer", Found: "null", Supported: supportedPreTokenizers}
	}
	raw, err := unwrapSequence(raw, "pretokenizers", "pre_tokenizer")
	if err != nil {
		return err
	}
	typ, err := typeOf(raw, "pre_tokenizer")
	if err != nil {
		return err
	}
	if typ != "BertPreTokenizer" {
		return &UnsupportedError{Component: "pre_tokenizer", Found: typ, Supported: supportedPreTokenizers}
	}
	return nil
}

// parseModel reads a WordPiece model. A model without "type" is taken as
// WordPiece when its fields say so, as Hugging Face's untagged fallback does.
func parseModel(raw json.RawMessage) (*wordPieceJSON, error) {
	if isNull(raw) {
		return nil, invalidf("model is missing")
	}
	var m wordPieceJSON
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, invalidf("model: %v", err)
	}
	typ := m.Type
	if typ == "" {
		switch {
		case !isNull(m.Merges):
			typ = "BPE"
		case bytes.HasPrefix(bytes.TrimSpace(m.Vocab), []byte("[")):
			typ = "Unigram"
		default:
			typ = "WordPiece"
		}
	}
	if typ != "WordPiece" {
		return nil, &UnsupportedError{Component: "model type", Found: typ, Supported: supportedModels}
	}
	if err := json.Unmarshal(m.Vocab, &m.vocab); err != nil {
		return nil, invalidf("model vocab: %v", err)
	}
	if len(m.vocab) == 0 {
		return nil, invalidf("model vocab is empty")
	}
	if m.UnkToken == "" {
		m.UnkToken = "[UNK]"
	}
	if m.ContinuingSubwordPrefix == nil {
		s := "##"
		m.ContinuingSubwordPrefix = &s
	}
	if m.MaxInputCharsPerWord == nil {
		n := 100
		m.MaxInputCharsPerWord = &n
	}
	return &m, nil
}

// parseProcessor reads the post-processor's single and pair templates.
// lookup resolves the token names BertProcessing gives.
func parseProcessor(raw json.RawMessage) (single, pair template, err error) {
	if isNull(raw) {
		return template{{seq: 0}}, template{{seq: 0}, {seq: 1, typeID: 1}}, nil
	}
	raw, err = unwrapSequence(raw, "processors", "post_processor")
	if err != nil {
		return nil, nil, err
	}
	typ, err := typeOf(raw, "post_processor")
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case "BertProcessing":
		var b bertProcessingJSON
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, nil, invalidf("post_processor: %v", err)
		}
		var cls, sep int32
		if err := json.Unmarshal(b.Cls[1], &cls); err != nil {
			return nil, nil, invalidf("post_processor cls: %v", err)
		}
		if err := json.Unmarshal(b.Sep[1], &sep); err != nil {
			return nil, nil, invalidf("post_processor sep: %v", err)
		}
		single, pair = bertTemplates(cls, sep)
		return single, pair, nil
	case "TemplateProcessing":
		return parseTemplate(raw)
	}
	return nil, nil, &UnsupportedError{Component: "post_processor", Found: typ, Supported: supportedProcessors}
}

// parseTemplate reads TemplateProcessing's single and pair layouts.
func parseTemplate(raw json.RawMessage) (single, pair template, err error) {
	var tj templateJSON
	if err := json.Unmarshal(raw, &tj); err != nil {
		return nil, nil, invalidf("post_processor: %v", err)
	}
	conv := func(name string, ps []templatePieceJSON) (template, error) {
		var out template
		for _, p := range ps {
			switch {
			case p.SpecialToken != nil:
				sp, ok := tj.SpecialTokens[p.SpecialToken.ID]
				if !ok {
					return nil, invalidf("post_processor %s: special token %q is not in special_tokens", name, p.SpecialToken.ID)
				}
				out = append(out, piece{seq: -1, ids: sp.IDs, typeID: p.SpecialToken.TypeID})
			case p.Sequence != nil && p.Sequence.ID == "A":
				out = append(out, piece{seq: 0, typeID: p.Sequence.TypeID})
			case p.Sequence != nil && p.Sequence.ID == "B":
				out = append(out, piece{seq: 1, typeID: p.Sequence.TypeID})
			default:
				return nil, invalidf("post_processor %s: piece is neither SpecialToken nor Sequence A/B", name)
			}
		}
		return out, nil
	}
	if single, err = conv("single", tj.Single); err != nil {
		return nil, nil, err
	}
	if pair, err = conv("pair", tj.Pair); err != nil {
		return nil, nil, err
	}
	return single, pair, nil
}

// parsePadding reads the padding settings.
func parsePadding(p *paddingJSON) (Padding, error) {
	out := Padding{Direction: p.Direction, PadID: p.PadID, PadTypeID: p.PadTypeID, PadToken: p.PadToken}
	if p.PadToMultipleOf != nil {
		out.PadToMultipleOf = *p.PadToMultipleOf
	}
	var fixed struct {
		Fixed *int `json:"Fixed"`
	}
	var name string
	switch {
	case json.Unmarshal(p.Strategy, &name) == nil && name == "BatchLongest":
	case json.Unmarshal(p.Strategy, &fixed) == nil && fixed.Fixed != nil && *fixed.Fixed >= 0:
		out.Fixed = *fixed.Fixed
	default:
		return Padding{}, invalidf("padding strategy %s: want \"BatchLongest\" or {\"Fixed\": n}", string(p.Strategy))
	}
	return out, nil
}
