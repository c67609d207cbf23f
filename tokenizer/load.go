package tokenizer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
)

// maxVocabID bounds token ids so a corrupt file cannot make IDToToken's
// table huge.
const maxVocabID = 1 << 21

// Load reads a Hugging Face tokenizer.json. Errors are *FileError values
// wrapping ErrInvalid or an *UnsupportedError (ErrUnsupported).
func Load(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	t, err := Parse(data)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return t, nil
}

// Parse builds a tokenizer from the bytes of a tokenizer.json.
func Parse(data []byte) (*Tokenizer, error) {
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, invalidf("%v", err)
	}
	m, err := parseModel(f.Model)
	if err != nil {
		return nil, err
	}
	bertNorm, genNorm, err := parseNormalizer(f.Normalizer)
	if err != nil {
		return nil, err
	}
	bertPre, genPre, err := parsePreTokenizer(f.PreTokenizer)
	if err != nil {
		return nil, err
	}
	single, pair, err := parseProcessor(f.PostProcessor)
	if err != nil {
		return nil, err
	}
	dec, err := parseDecoder(f.Decoder, "decoder")
	if err != nil {
		return nil, err
	}
	t := &Tokenizer{single: single, pair: pair, decoder: dec}
	if f.Truncation != nil {
		t.truncation = Truncation{MaxLength: f.Truncation.MaxLength, Strategy: f.Truncation.Strategy,
			Direction: f.Truncation.Direction, Stride: f.Truncation.Stride}
		t.hasTrunc = true
		if err := t.truncation.check(); err != nil {
			return nil, err
		}
	}
	if f.Padding != nil {
		if t.padding, err = parsePadding(f.Padding); err != nil {
			return nil, err
		}
		t.hasPadding = true
	}
	var raw, normalized []addedTokenJSON
	for _, a := range f.AddedTokens {
		if a.SingleWord {
			return nil, &UnsupportedError{Component: "added token", Found: a.Content + " with single_word=true",
				Supported: "added tokens with single_word false"}
		}
		if a.Normalized && genNorm != nil {
			normalized = append(normalized, a)
		} else {
			raw = append(raw, a) // without a normalizer, normalized tokens match the raw text
		}
	}
	if m.wp != nil && bertNorm != nil && bertPre && len(normalized) == 0 {
		t.norm = *bertNorm
		t.model = m.model.(*wordPiece)
	} else {
		t.gen = &pipeline{norm: genNorm, pre: genPre, model: m.model, cache: newWordCache(), firstMatters: prependsFirst(genPre)}
	}
	if err := t.build(m.vocab, raw, normalized, m.unk); err != nil {
		return nil, err
	}
	t.setSHA(data)
	return t, nil
}

// check validates truncation settings.
func (tr Truncation) check() error {
	switch tr.Strategy {
	case LongestFirst, OnlyFirst, OnlySecond, "":
	default:
		return &UnsupportedError{Component: "truncation strategy", Found: string(tr.Strategy), Supported: "LongestFirst, OnlyFirst, OnlySecond"}
	}
	switch tr.Direction {
	case Right, Left, "":
	default:
		return &UnsupportedError{Component: "truncation direction", Found: string(tr.Direction), Supported: "Right, Left"}
	}
	return nil
}

// LoadVocab reads a BERT vocab.txt (one token per line, id = line number)
// and sets up the BERT defaults: BertNormalizer with the given lowercase
// (accents stripped when lowercasing), BertPreTokenizer, WordPiece with
// [UNK], "##" and 100 characters per word, and [CLS] A [SEP] / [CLS] A [SEP]
// B [SEP] templates. [PAD], [UNK], [CLS], [SEP] and [MASK] become added tokens.
func LoadVocab(path string, lowercase bool) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	t, err := parseVocab(data, lowercase)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return t, nil
}

// parseVocab builds a BERT tokenizer from vocab.txt bytes. Like Hugging
// Face, it trims trailing whitespace from each line and a repeated token
// keeps its last line number.
func parseVocab(data []byte, lowercase bool) (*Tokenizer, error) {
	vocab := make(map[string]int32)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for id := int32(0); sc.Scan(); id++ {
		vocab[strings.TrimRight(sc.Text(), " \t\r\n\v\f")] = id
	}
	if err := sc.Err(); err != nil {
		return nil, invalidf("vocab: %v", err)
	}
	if len(vocab) == 0 {
		return nil, invalidf("vocab is empty")
	}
	cls, okC := vocab["[CLS]"]
	sep, okS := vocab["[SEP]"]
	if !okC || !okS {
		return nil, invalidf("vocab lacks [CLS] or [SEP]")
	}
	t := &Tokenizer{norm: bertDefaults(lowercase), model: newWordPiece(vocab, "##", vocab["[UNK]"], 100),
		decoder: wordPieceDecoder{prefix: "##", cleanup: true}}
	if _, ok := vocab["[UNK]"]; !ok {
		return nil, invalidf("unk_token %q is not in the vocabulary", "[UNK]")
	}
	t.single, t.pair = bertTemplates(cls, sep)
	var added []addedTokenJSON
	for _, s := range []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} {
		if id, ok := vocab[s]; ok {
			added = append(added, addedTokenJSON{ID: int(id), Content: s, Special: true})
		}
	}
	if err := checkIDs(vocab); err != nil {
		return nil, err
	}
	if err := t.build(vocab, added, nil, vocab["[UNK]"]); err != nil {
		return nil, err
	}
	t.setSHA(data)
	return t, nil
}

func (t *Tokenizer) setSHA(data []byte) {
	sum := sha256.Sum256(data)
	t.sha256hex = hex.EncodeToString(sum[:])
}

// build fills the vocabulary tables, added tokens (matched in the raw text,
// or after normalization) and special ids. unk is the model's unk id (-1:
// none).
func (t *Tokenizer) build(vocab map[string]int32, raw, normalized []addedTokenJSON, unk int32) error {
	size := 0
	for _, id := range vocab {
		size = max(size, int(id)+1)
	}
	for _, a := range append(raw[:len(raw):len(raw)], normalized...) {
		if a.ID < 0 || a.ID >= maxVocabID {
			return invalidf("added token %q has id %d (want 0 <= id < %d)", a.Content, a.ID, maxVocabID)
		}
		size = max(size, a.ID+1)
	}
	if err := t.checkTemplates(size); err != nil {
		return err
	}
	t.vocab = make([]string, size)
	t.ids = make(map[string]int32, len(vocab)+len(raw)+len(normalized))
	for tok, id := range vocab {
		t.vocab[id] = tok
		t.ids[tok] = id
	}
	t.isSpecial = make([]bool, size)
	for k, list := range [][]addedTokenJSON{raw, normalized} {
		for _, a := range list {
			t.vocab[a.ID] = a.Content
			t.ids[a.Content] = int32(a.ID)
			t.isSpecial[a.ID] = a.Special
			tok := addedToken{content: a.Content, id: int32(a.ID), lstrip: a.LStrip, rstrip: a.RStrip}
			if k == 0 {
				t.added.add(tok)
				continue
			}
			// Hugging Face matches a normalized token by its normalized form.
			if t.gen.norm != nil {
				tok.content = string(t.gen.norm.normalize(nil, []byte(a.Content)))
			}
			t.gen.normAdded.add(tok)
		}
	}
	t.emptyID = -1
	if id, ok := t.ids[""]; ok {
		t.emptyID = int32(id)
	}
	if t.gen == nil {
		for c := range t.asciiOne {
			t.asciiOne[c] = t.model.appendIDs(nil, []byte{byte(c)})[0]
		}
	}
	t.punct = make([]bool, size)
	for id, tok := range t.vocab {
		t.punct[id] = isPunctToken(tok)
	}
	first := func(toks ...string) int32 {
		for _, s := range toks {
			if id, ok := t.ids[s]; ok {
				return id
			}
		}
		return -1
	}
	t.special = SpecialIDs{CLS: first("[CLS]", "<s>"), SEP: first("[SEP]", "</s>"), PAD: first("[PAD]", "<pad>"),
		MASK: first("[MASK]", "<mask>"), UNK: unk}
	if t.hasPadding {
		t.special.PAD = t.padding.PadID
	}
	return nil
}

// checkTemplates rejects special-token ids outside the vocabulary.
func (t *Tokenizer) checkTemplates(size int) error {
	for _, tp := range []template{t.single, t.pair} {
		for _, p := range tp {
			for _, id := range p.ids {
				if id < 0 || int(id) >= size {
					return invalidf("post_processor special token id %d is outside the vocabulary (size %d)", id, size)
				}
			}
		}
	}
	return nil
}

// idOr returns the id of tok, or -1.
func (t *Tokenizer) idOr(tok string) int {
	if id, ok := t.ids[tok]; ok {
		return int(id)
	}
	return -1
}
