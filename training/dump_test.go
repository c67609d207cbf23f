package training

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student"
)

// The batch dump holds the weights a run starts from, and per step the
// batch, the schedule and the loss the run logged.
func TestDumpBatches(t *testing.T) {
	f := getFixture(t)
	dir := t.TempDir()
	c := tinyConfig(f, student.KindSPLADE, filepath.Join(dir, "run"))
	c.Steps, c.BatchSize, c.LogEvery, c.EvalEvery, c.SaveEvery, c.WarmupSteps, c.LRSchedule = 3, 4, 1, 0, 100, 2, "cosine"
	dump := filepath.Join(dir, "dump")
	train(t, c, Options{DumpBatches: dump})

	untrained := c
	untrained.Steps, untrained.Out = 0, filepath.Join(dir, "untrained")
	train(t, untrained, Options{})
	init, _, err := checkpoints.ReadSafetensorsFile(filepath.Join(dump, "init.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := checkpoints.Load(filepath.Join(untrained.Out, "step-000000"))
	if err != nil {
		t.Fatal(err)
	}
	if len(init) != len(ck.Weights) {
		t.Fatalf("init.safetensors has %d tensors, the untrained checkpoint %d", len(init), len(ck.Weights))
	}
	for name, w := range ck.Weights {
		if fmt.Sprint(init[name].Data[:4]) != fmt.Sprint(w.Data[:4]) {
			t.Errorf("init.safetensors %s starts %v, the untrained checkpoint %v", name, init[name].Data[:4], w.Data[:4])
		}
	}

	rows, err := ReadMetrics(filepath.Join(c.Out, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	logged := map[int]float64{}
	for _, r := range rows {
		if r.Loss != nil {
			logged[r.Step] = *r.Loss
		}
	}
	for step := 1; step <= 3; step++ {
		ts, meta, err := checkpoints.ReadSafetensorsFile(filepath.Join(dump, fmt.Sprintf("step-%06d.safetensors", step)))
		if err != nil {
			t.Fatal(err)
		}
		if q := ts["query_ids"]; len(q.Shape) != 2 || q.Shape[0] != 4 || q.Shape[1] != c.MaxQueryLength {
			t.Errorf("step %d: query_ids shape %v, want [4 %d]", step, q.Shape, c.MaxQueryLength)
		}
		if m := ts["margins"]; len(m.Data) != 4 || ts["neg_ids"].Shape[0] != 4 {
			t.Errorf("step %d: %d margins, negatives %v", step, len(m.Data), ts["neg_ids"].Shape)
		}
		loss, _ := strconv.ParseFloat(meta["loss"], 64)
		if loss != logged[step] {
			t.Errorf("step %d: dumped loss %v, metrics.jsonl %v", step, loss, logged[step])
		}
		if lr, _ := strconv.ParseFloat(meta["lr"], 64); lr != c.lrAt(step) {
			t.Errorf("step %d: dumped lr %v, want %v", step, lr, c.lrAt(step))
		}
		if lq, _ := strconv.ParseFloat(meta["lambda_q"], 64); lq <= 0 || meta["flops_d"] == "nan" {
			t.Errorf("step %d: lambda_q %s, flops_d %s", step, meta["lambda_q"], meta["flops_d"])
		}
	}
	// A resumed run starts from a checkpoint, not from what init.safetensors would hold.
	c.Steps = 4
	if _, err := Train(context.Background(), c, Options{Resume: true, DumpBatches: dump}); err == nil || !strings.Contains(err.Error(), "only a fresh run") {
		t.Errorf("dumping a resumed run: %v, want an error", err)
	}
}
