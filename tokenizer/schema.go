package tokenizer

import "encoding/json"

// The parts of Hugging Face's tokenizer.json this package reads. Components
// that vary by "type" stay raw until their type is known.
type fileJSON struct {
	Truncation    *truncationJSON  `json:"truncation"`
	Padding       *paddingJSON     `json:"padding"`
	AddedTokens   []addedTokenJSON `json:"added_tokens"`
	Normalizer    json.RawMessage  `json:"normalizer"`
	PreTokenizer  json.RawMessage  `json:"pre_tokenizer"`
	PostProcessor json.RawMessage  `json:"post_processor"`
	Decoder       json.RawMessage  `json:"decoder"`
	Model         json.RawMessage  `json:"model"`
}

type truncationJSON struct {
	Direction Direction `json:"direction"`
	MaxLength int       `json:"max_length"`
	Strategy  Strategy  `json:"strategy"`
	Stride    int       `json:"stride"`
}

type paddingJSON struct {
	Strategy        json.RawMessage `json:"strategy"` // "BatchLongest" or {"Fixed": n}
	Direction       Direction       `json:"direction"`
	PadToMultipleOf *int            `json:"pad_to_multiple_of"`
	PadID           int32           `json:"pad_id"` // int32, as token ids: a larger value is a decode error
	PadTypeID       int32           `json:"pad_type_id"`
	PadToken        string          `json:"pad_token"`
}

type addedTokenJSON struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// typed reads the "type" field shared by components.
type typed struct {
	Type string `json:"type"`
}

type sequenceJSON struct {
	Processors []json.RawMessage `json:"processors"`
}

type bertNormalizerJSON struct {
	CleanText          *bool `json:"clean_text"`
	HandleChineseChars *bool `json:"handle_chinese_chars"`
	StripAccents       *bool `json:"strip_accents"`
	Lowercase          *bool `json:"lowercase"`
}

// wordPieceJSON holds a WordPiece model's settings, defaults filled in.
type wordPieceJSON struct {
	UnkToken                string
	ContinuingSubwordPrefix string
	MaxInputCharsPerWord    int
}

type templateJSON struct {
	Single        []templatePieceJSON            `json:"single"`
	Pair          []templatePieceJSON            `json:"pair"`
	SpecialTokens map[string]templateSpecialJSON `json:"special_tokens"`
}

type templatePieceJSON struct {
	SpecialToken *struct {
		ID     string `json:"id"`
		TypeID int32  `json:"type_id"`
	} `json:"SpecialToken"`
	Sequence *struct {
		ID     string `json:"id"`
		TypeID int32  `json:"type_id"`
	} `json:"Sequence"`
}

type templateSpecialJSON struct {
	ID  string  `json:"id"`
	IDs []int32 `json:"ids"`
}

type bertProcessingJSON struct {
	Sep [2]json.RawMessage `json:"sep"`
	Cls [2]json.RawMessage `json:"cls"`
}
