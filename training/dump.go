package training

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/student"
)

// The batch dump (Options.DumpBatches, `student train --dump-batches DIR`)
// records what a fresh run trains on, so that another implementation can
// replay its steps (scripts/torch_train_reference.py):
//
//	config.json               the checkpoint's model config (student and training settings)
//	init.safetensors          the weights before step 1 (after --init-from)
//	step-NNNNNN.safetensors   step N's batch as float32 tensors: query_ids, query_mask,
//	                          pos_ids, pos_mask, neg_ids, neg_mask [B, L] (token ids
//	                          as the encoder pads them, before ColBERT's markers),
//	                          margins [B] (t⁺ − t⁻) and teacher [B/k, 1+k] (kldiv);
//	                          metadata: lr, lambda_q, lambda_d and what distill computed:
//	                          loss, rank_loss, flops_q, flops_d (unweighted), grad_norm
//
// The weights after the last step are the run's last checkpoint.

// dumpStart writes config.json and init.safetensors.
func (t *trainer) dumpStart() error {
	dir := t.opts.DumpBatches
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("training: dump batches: %w", err)
	}
	model, err := marshalModelConfig(t.sc, t.c, t.data.QrelsSHA256)
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, "config.json"), model, 0o644); err != nil {
		return fmt.Errorf("training: dump batches: %w", err)
	}
	return checkpoints.WriteSafetensorsFile(filepath.Join(dir, "init.safetensors"), student.Weights(t.tg.params), nil)
}

// dumpStep writes step's batch, schedule values and computed numbers.
func (t *trainer) dumpStep(step int, b *batch, st stepStats, lambdaQ, lambdaD float64) error {
	tb := b.triples
	ts := map[string]checkpoints.Tensor{
		"query_ids": intTensor(tb.QueryIDs), "query_mask": intTensor(tb.QueryMask),
		"pos_ids": intTensor(tb.PosIDs), "pos_mask": intTensor(tb.PosMask),
		"neg_ids": intTensor(tb.NegIDs), "neg_mask": intTensor(tb.NegMask),
		"margins": {Shape: []int{len(b.margins)}, Data: b.margins},
	}
	if k := t.c.groupSize(); t.c.Loss == "kldiv" {
		ts["teacher"] = checkpoints.Tensor{Shape: []int{len(b.teacher) / (k + 1), k + 1}, Data: b.teacher}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	meta := map[string]string{"step": strconv.Itoa(step), "lr": f(st.lr), "lambda_q": f(lambdaQ), "lambda_d": f(lambdaD),
		"loss": f(st.total), "rank_loss": f(st.rank), "grad_norm": f(st.gradNorm), "flops_q": "nan", "flops_d": "nan"}
	if t.tg.hasFLOPS {
		meta["flops_q"], meta["flops_d"] = f(scalarOf(t.tg.flopsQ)), f(scalarOf(t.tg.flopsD))
	}
	path := filepath.Join(t.opts.DumpBatches, fmt.Sprintf("step-%06d.safetensors", step))
	return checkpoints.WriteSafetensorsFile(path, ts, meta)
}

// intTensor stores an int matrix [B][L] as float32 (exact below 2²⁴).
func intTensor(rows [][]int32) checkpoints.Tensor {
	t := checkpoints.Tensor{Shape: []int{len(rows), 0}}
	if len(rows) > 0 {
		t.Shape[1] = len(rows[0])
	}
	for _, r := range rows {
		for _, v := range r {
			t.Data = append(t.Data, float32(v))
		}
	}
	return t
}
