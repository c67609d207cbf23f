// Command mkcrossencoder writes a seeded random BERT cross-encoder as ONNX,
// for the teacher's tests and benchmarks:
//
//	go run ./internal/cmd/mkcrossencoder -preset tiny -seed 1 -labels 1 -out DIR
//
// writes DIR/model.onnx and DIR/config.json (see bertonnx.WriteDir). The
// flags:
//
//	-preset          tiny (hidden 32, 2 layers), minilm-l6 (the size of
//	                 cross-encoder/ms-marco-MiniLM-L-6-v2) or tiny-roberta (an
//	                 XLM-R/RoBERTa-shaped tiny model: RoBERTa positions, no
//	                 token_type_ids; needs -tokenizer); default tiny
//	-tokenizer       with tiny-roberta: the tokenizer.json whose vocabulary
//	                 size and pad id the model takes
//	-seed            seed of bertonnx.RandomWeights; default 1
//	-labels          number of logits, 1 or 2; default 1
//	-opset           ONNX opset, 13 to 21; default 17
//	-no-token-types  write only input_ids and attention_mask
//	-int32-inputs    declare the inputs int32 (as some exports do)
//	-fp16-logits     declare the logits float16 (as optimum-cli --fp16 does)
//	-safetensors     also write the weights as DIR/model.safetensors
//	-out             output folder, created if missing (required)
//
// Usage errors exit 2, failures exit 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/tokenizer"
)

// options holds the parsed flags.
type options struct {
	preset       string
	tokenizer    string
	seed         int64
	labels       int
	opset        int
	noTokenTypes bool
	int32Inputs  bool
	fp16Logits   bool
	safetensors  bool
	out          string
}

func main() {
	var o options
	fs := flag.NewFlagSet("mkcrossencoder", flag.ContinueOnError)
	fs.StringVar(&o.preset, "preset", "tiny", "model size: tiny, minilm-l6 or tiny-roberta")
	fs.StringVar(&o.tokenizer, "tokenizer", "", "with tiny-roberta: tokenizer.json giving the vocabulary size and pad id")
	fs.Int64Var(&o.seed, "seed", 1, "random weight seed")
	fs.IntVar(&o.labels, "labels", 1, "number of logits (1 or 2)")
	fs.IntVar(&o.opset, "opset", bertonnx.DefaultOpset, "ONNX opset version")
	fs.BoolVar(&o.noTokenTypes, "no-token-types", false, "write only input_ids and attention_mask inputs")
	fs.BoolVar(&o.int32Inputs, "int32-inputs", false, "declare the inputs int32")
	fs.BoolVar(&o.fp16Logits, "fp16-logits", false, "declare the logits float16")
	fs.BoolVar(&o.safetensors, "safetensors", false, "also write the weights as model.safetensors")
	fs.StringVar(&o.out, "out", "", "output folder (required)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if o.out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "mkcrossencoder: -out DIR is required and no arguments are taken")
		fs.Usage()
		os.Exit(2)
	}
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkcrossencoder:", err)
		os.Exit(1)
	}
}

// run writes the model and config described by o and reports on stdout.
func run(o options, stdout io.Writer) error {
	cfg, err := config(o)
	if err != nil {
		return err
	}
	cfg.NumLabels = o.labels
	if err := cfg.Validate(); err != nil {
		return err
	}
	opts := bertonnx.WriteOptions{Opset: o.opset, OmitTokenTypeIDs: o.noTokenTypes,
		Int32Inputs: o.int32Inputs, Float16Logits: o.fp16Logits}
	w := bertonnx.RandomWeights(cfg, o.seed)
	if err := bertonnx.WriteDir(o.out, cfg, w, opts); err != nil {
		return err
	}
	if o.safetensors {
		if err := bertonnx.WriteSafetensors(filepath.Join(o.out, "model.safetensors"), w); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(stdout, "wrote %s/%s and %s (preset %s, seed %d, %d label(s), opset %d)\n",
		o.out, bertonnx.ModelFile, bertonnx.ConfigFile, o.preset, o.seed, cfg.NumLabels, o.opset)
	return err
}

// config returns the preset's configuration; tiny-roberta takes its
// vocabulary size and pad id from the tokenizer.
func config(o options) (bertonnx.Config, error) {
	if o.preset != "tiny-roberta" {
		if o.tokenizer != "" {
			return bertonnx.Config{}, fmt.Errorf("-tokenizer is for -preset tiny-roberta only")
		}
		return bertonnx.Preset(o.preset)
	}
	if o.tokenizer == "" {
		return bertonnx.Config{}, fmt.Errorf("-preset tiny-roberta needs -tokenizer")
	}
	tok, err := tokenizer.Load(o.tokenizer)
	if err != nil {
		return bertonnx.Config{}, err
	}
	pad := tok.Special().PAD
	if pad < 0 {
		return bertonnx.Config{}, fmt.Errorf("tokenizer %s has no <pad> or [PAD] token", o.tokenizer)
	}
	return bertonnx.TinyRoBERTa(tok.VocabSize(), int(pad)), nil
}
