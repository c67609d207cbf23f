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

func (a *app) tokenizeCmd() *cobra.Command {
	var tokPath string
	var maxLen int
	var pad bool
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
			if tokPath == "" {
				return usagef(cmd, "--tokenizer is required")
			}
			tok, err := loadTokenizerFile(tokPath)
			if err != nil {
				return fmt.Errorf("tokenize: %w", err)
			}
			var e tokenizer.Encoding
			if len(args) == 1 {
				e = tok.EncodeSingle(args[0], maxLen)
			} else {
				e = tok.EncodePair(args[0], args[1], maxLen)
			}
			if pad && maxLen > 0 {
				e.Pad(maxLen, int64(tok.Special().PAD), 0)
			}
			enc := json.NewEncoder(a.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				IDs           []int64  `json:"input_ids"`
				TypeIDs       []int64  `json:"token_type_ids"`
				AttentionMask []int64  `json:"attention_mask"`
				Tokens        []string `json:"tokens"`
			}{e.IDs, e.TypeIDs, e.AttentionMask, tok.Tokens(e.IDs)})
		},
	}
	c.Flags().StringVar(&tokPath, "tokenizer", "", "tokenizer.json or vocab.txt")
	c.Flags().IntVar(&maxLen, "max-length", 512, "truncate to this many tokens (0: no truncation)")
	c.Flags().BoolVar(&pad, "pad", false, "pad to --max-length")
	return c
}
