package main

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/teacher"
	"github.com/distill-ml/distill/tokenizer"
)

// dumpForTorch writes what scripts/bench_torch_teacher.py needs to run the
// same model on the same batches in PyTorch: config.json, model.safetensors
// and batches.json (with ONNX Runtime's scores, to check agreement).
func dumpForTorch(dir string, cfg bertonnx.Config, w bertonnx.Weights, sc teacher.Scorer, batches []*tokenizer.Batch) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	hf, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, "config.json"), hf, 0o644); err != nil {
		return err
	}
	if err := bertonnx.WriteSafetensors(filepath.Join(dir, "model.safetensors"), w); err != nil {
		return err
	}
	type jb struct {
		IDs   [][]int32 `json:"input_ids"`
		Mask  [][]int32 `json:"attention_mask"`
		Types [][]int32 `json:"token_type_ids"`
		ORT   []float32 `json:"ort_scores"`
	}
	var out []jb
	for _, b := range batches {
		scores, err := sc.Score(b)
		if err != nil {
			return err
		}
		j := jb{ORT: scores}
		j.IDs, j.Mask, j.Types = b.Rows(b.IDs), b.Rows(b.Mask), b.Rows(b.TypeIDs)
		out = append(out, j)
	}
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(dir, "batches.json"), data, 0o644)
}
