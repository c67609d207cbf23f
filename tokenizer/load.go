package tokenizer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	n, err := parseNormalizer(f.Normalizer)
	if err != nil {
		return nil, err
	}
	if err := checkPreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	single, pair, err := parseProcessor(f.PostProcessor)
	if err != nil {
		return nil, err
	}
	t := &Tokenizer{norm: n, single: single, pair: pair}
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
	added := make([]addedTokenJSON, len(f.AddedTokens))
	copy(added, f.AddedTokens)
	if err := t.build(m.vocab, added, m.UnkToken, *m.ContinuingSubwordPrefix, *m.MaxInputCharsPerWord); err != nil {
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
	t := &Tokenizer{norm: bertDefaults(lowercase)}
	t.single, t.pair = bertTemplates(cls, sep)
	var added []addedTokenJSON
	for _, s := range []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} {
		if id, ok := vocab[s]; ok {
			added = append(added, addedTokenJSON{ID: int(id), Content: s, Special: true})
		}
	}
	if err := t.build(vocab, added, "[UNK]", "##", 100); err != nil {
		return nil, err
	}
	t.setSHA(data)
	return t, nil
}

func (t *Tokenizer) setSHA(data []byte) {
	sum := sha256.Sum256(data)
	t.sha256hex = hex.EncodeToString(sum[:])
}

// build fills the vocabulary tables, added tokens and special ids.
func (t *Tokenizer) build(vocab map[string]int32, added []addedTokenJSON, unk, prefix string, maxChars int) error {
	unkID, ok := vocab[unk]
	if !ok {
		return invalidf("unk_token %q is not in the vocabulary", unk)
	}
	size := 0
	for tok, id := range vocab {
		if id < 0 || id >= maxVocabID {
			return invalidf("token %q has id %d (want 0 <= id < %d)", tok, id, maxVocabID)
		}
		size = max(size, int(id)+1)
	}
	for _, a := range added {
		if a.ID < 0 || a.ID >= maxVocabID {
			return invalidf("added token %q has id %d (want 0 <= id < %d)", a.Content, a.ID, maxVocabID)
		}
		if a.SingleWord || a.LStrip || a.RStrip || a.Normalized {
			return &UnsupportedError{Component: "added token", Found: fmt.Sprintf("%s with single_word=%t lstrip=%t rstrip=%t normalized=%t", a.Content, a.SingleWord, a.LStrip, a.RStrip, a.Normalized),
				Supported: "added tokens with single_word, lstrip, rstrip and normalized all false, as BERT's special tokens"}
		}
		size = max(size, a.ID+1)
	}
	if err := t.checkTemplates(size); err != nil {
		return err
	}
	t.vocab = make([]string, size)
	t.ids = make(map[string]int32, len(vocab)+len(added))
	for tok, id := range vocab {
		t.vocab[id] = tok
		t.ids[tok] = id
	}
	for _, a := range added {
		t.vocab[a.ID] = a.Content
		t.ids[a.Content] = int32(a.ID)
		t.added.add(a.Content, int32(a.ID))
	}
	t.model = newWordPiece(vocab, prefix, unkID, maxChars)
	for c := range t.asciiOne {
		t.asciiOne[c] = t.model.appendIDs(nil, []byte{byte(c)})[0]
	}
	t.punct = make([]bool, size)
	for id, tok := range t.vocab {
		t.punct[id] = isPunctToken(tok)
	}
	t.special = SpecialIDs{CLS: t.idOr("[CLS]"), SEP: t.idOr("[SEP]"), PAD: t.idOr("[PAD]"), MASK: t.idOr("[MASK]"), UNK: int(unkID)}
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
