package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/export"
)

// exportONNXOptions is what `distill export onnx` runs with.
type exportONNXOptions struct {
	IO         streams
	Checkpoint string
	Out        string // the ONNX file
	Opset      int    // 0: the default
}

func (a *app) exportONNXCmd() *cobra.Command {
	var opts exportONNXOptions
	c := &cobra.Command{
		Use:   "onnx --checkpoint DIR --out model.onnx",
		Short: "Write a cross-encoder, ColBERT or SPLADE checkpoint as an ONNX model",
		Long: `Writes the checkpoint in --checkpoint (a checkpoint folder, or a run folder
whose latest checkpoint is taken) as an ONNX model at --out, and copies the
checkpoint's tokenizer.json into the same folder. The kind of model is read
from the checkpoint's config.json:

  crossencoder  inputs input_ids, attention_mask, token_type_ids; output
                logits [batch, 1]. Laid out like a Hugging Face
                BertForSequenceClassification export, so 'distill teacher
                label --model' and 'teacher rerank' use it as a teacher.
  colbert       inputs input_ids, attention_mask; output token_embeddings
                [batch, sequence, dim], every token projected and
                L2-normalised. The caller inserts the [Q]/[D] marker after
                [CLS] and pads queries with [MASK] as ColBERT does, and drops
                padding and skip-list tokens before MaxSim; the marker ids,
                query length and skip list are in the model's metadata
                (key distill.student).
  splade        inputs input_ids, attention_mask; output sparse_weights
                [batch, vocab], max over non-padding tokens of
                log(1 + ReLU(MLM logits)).

All inputs are int64 with dynamic batch and sequence dimensions. --opset
picks the ONNX opset (` + fmt.Sprint(bertonnx.MinOpset) + ` to ` + fmt.Sprint(bertonnx.MaxOpset) + `, default ` + fmt.Sprint(bertonnx.DefaultOpset) + `).
Files are written atomically: an interrupted export leaves the old files or
none, never a torn one.`,
		Example: `  distill export onnx --checkpoint runs/colbert --out serve/colbert/model.onnx
  distill export onnx --checkpoint runs/ce/step-002000 --out ce/model.onnx
  distill teacher label --model ce/model.onnx --tokenizer ce/tokenizer.json ...`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := required(cmd, "checkpoint", "out"); err != nil {
				return err
			}
			if opts.Opset != 0 && (opts.Opset < bertonnx.MinOpset || opts.Opset > bertonnx.MaxOpset) {
				return usagef(cmd, "--opset %d outside %d to %d", opts.Opset, bertonnx.MinOpset, bertonnx.MaxOpset)
			}
			opts.IO = a.streams()
			return runExportONNX(&opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.Checkpoint, "checkpoint", "", "checkpoint folder, or run folder (its latest checkpoint)")
	f.StringVar(&opts.Out, "out", "", "the ONNX file to write; tokenizer.json is copied beside it")
	f.IntVar(&opts.Opset, "opset", 0, "ONNX opset (0: the default, 17)")
	return c
}

// runExportONNX exports and prints what was written.
func runExportONNX(opts *exportONNXOptions) error {
	w := opts.IO.Out
	res, err := export.Checkpoint(opts.Checkpoint, opts.Out, export.Options{Opset: opts.Opset})
	if err != nil {
		return fmt.Errorf("export onnx: %w", err)
	}
	fmt.Fprintf(w, "wrote %s model %s (%.1f MB, %d weights, sha256 %s)\n  inputs  %s\n  output  %s\n",
		res.Kind, res.Model, float64(res.Bytes)/1e6, res.Params, res.SHA256, strings.Join(res.Inputs, ", "), res.Output)
	if res.Tokenizer != "" {
		fmt.Fprintf(w, "copied tokenizer to %s\n", res.Tokenizer)
	} else {
		fmt.Fprintf(w, "the checkpoint has no tokenizer.json; none written beside %s\n", filepath.Base(res.Model))
	}
	return nil
}
