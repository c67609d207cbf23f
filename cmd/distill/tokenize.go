package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/tokenizer"
)

func loadTokenizerFile(path string) (*tokenizer.Tokenizer, error) {
	if len(path) > 4 && path[len(path)-4:] == ".txt" {
		return tokenizer.LoadVocab(path, true)
	}
	return tokenizer.Load(path)
}

// tokenizeOptions is what `distill tokenize` runs with.
type tokenizeOptions struct {
	IO        streams
	Tokenizer string
	Texts     []string // one text, or a pair
	MaxLength int      // 0: no truncation
	Pad       bool
}

func (a *app) tokenizeCmd() *cobra.Command {
	var opts tokenizeOptions
	c := &cobra.Command{
		Use:   "tokenize --tokenizer tokenizer.json TEXT [TEXT_PAIR]",
		Short: "Print the model input for a text or a pair as JSON (for debugging)",
		Long: `Encodes one text ([CLS] text [SEP]) or a pair ([CLS] a [SEP] b [SEP]) with a
Hugging Face tokenizer.json (WordPiece, Unigram, BPE) or a vocab.txt, truncated
longest-first to --max-length, and prints the ids, token type ids, attention
mask and tokens as JSON: what 'distill teacher label' feeds the model. The
ids equal those of the Hugging Face tokenizers library.`,
		Example: `  distill tokenize --tokenizer data/tokenizers/bert-base-uncased/tokenizer.json \
      "what is a cross-encoder?" "A cross-encoder reads query and document jointly."`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usagef(cmd, "want one text or a pair of texts, got %d arguments", len(args))
			}
			if opts.Tokenizer == "" {
				return usagef(cmd, "--tokenizer is required")
			}
			opts.IO, opts.Texts = a.streams(), args
			return runTokenize(&opts)
		},
	}
	c.Flags().StringVar(&opts.Tokenizer, "tokenizer", "", "tokenizer.json or vocab.txt")
	c.Flags().IntVar(&opts.MaxLength, "max-length", 512, "truncate to this many tokens (0: no truncation)")
	c.Flags().BoolVar(&opts.Pad, "pad", false, "pad to --max-length")
	return c
}

// runTokenize prints the encoding of the text or pair as JSON.
func runTokenize(opts *tokenizeOptions) error {
	tok, err := loadTokenizerFile(opts.Tokenizer)
	if err != nil {
		return fmt.Errorf("tokenize: %w", err)
	}
	var e tokenizer.Encoding
	if len(opts.Texts) == 1 {
		e = tok.EncodeSingle(opts.Texts[0], opts.MaxLength)
	} else {
		e = tok.EncodePair(opts.Texts[0], opts.Texts[1], opts.MaxLength)
	}
	if opts.Pad && opts.MaxLength > 0 {
		e.Pad(opts.MaxLength, tok.Special().PAD, 0)
	}
	enc := json.NewEncoder(opts.IO.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		IDs           []int32  `json:"input_ids"`
		TypeIDs       []int32  `json:"token_type_ids"`
		AttentionMask []int32  `json:"attention_mask"`
		Tokens        []string `json:"tokens"`
	}{e.IDs, e.TypeIDs, e.AttentionMask, tok.Tokens(e.IDs)})
}
