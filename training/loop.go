package training

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/student/nn"
)

// stepStats are the numbers of one optimizer step.
type stepStats struct {
	total, rank, flops, lr, gradNorm float64
	nnzQ, nnzD, sparsity             float64
}

// loop runs the optimizer steps start+1 … Steps.
func (t *trainer) loop(ctx context.Context, start int, res *Result) error {
	c := t.c
	t.bar = newProgressBar(t.opts.Console, start, c.Steps, c.BatchSize)
	win := rateWindow{start: time.Now()}
	return t.runFolder.loop(ctx, start, t.schedule(), t.bar, "", func(step int) error {
		st, err := t.step(step)
		if err != nil {
			return err
		}
		res.Step, res.Loss = step, st.total
		win.steps++
		if t.stall.observe(step, st.total, st.gradNorm) {
			t.log.Warn("the run is not learning: the loss has not moved and the gradient is tiny",
				zap.Int("since_step", t.stall.from), zap.Int("step", step), zap.Float64("loss", st.total),
				zap.Float64("max_grad_norm", t.stall.maxGrad),
				zap.String("try", "a higher lr, a longer warm-up, init_from pretrained weights, or check the labels"))
		}
		t.bar.update(step, st.total)
		return t.after(step, st, res, &win)
	}, func(step int) error {
		_, err := t.save(step, nil, false)
		return err
	})
}

// schedule is the run's logging, validation and saving schedule.
func (t *trainer) schedule() schedule {
	c := t.c
	return schedule{steps: c.Steps, logEvery: c.LogEvery, evalEvery: c.EvalEvery, saveEvery: c.SaveEvery,
		stopAt: t.opts.StopAt, hasVal: len(t.data.Val) > 0}
}

// step runs one forward/backward pass and AdamW update.
func (t *trainer) step(step int) (stepStats, error) {
	c := t.c
	b := makeBatch(t.data, t.enc, examplesAt(t.data, t.ord, step-1, c.BatchSize))
	student.SetTrainingStep(t.tg.model, step)
	lq, ld := c.flopsSchedule().Lambda(step)
	if err := t.tg.set(b, lq, ld); err != nil {
		return stepStats{}, err
	}
	if err := t.tg.run(); err != nil {
		return stepStats{}, fmt.Errorf("training: step %d: %w", step, err)
	}
	st := stepStats{total: scalarOf(t.tg.total), rank: scalarOf(t.tg.rank), nnzQ: nan, nnzD: nan, sparsity: nan}
	check := func(term string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &NonFiniteError{Step: step, Term: term, Value: v, Last: t.last}
		}
		return nil
	}
	if err := check(c.Loss+" loss", st.rank); err != nil {
		return st, err
	}
	if t.tg.hasFLOPS {
		fq, fd := scalarOf(t.tg.flopsQ), scalarOf(t.tg.flopsD)
		if err := check("FLOPS regulariser (queries)", fq); err != nil {
			return st, err
		}
		if err := check("FLOPS regulariser (documents)", fd); err != nil {
			return st, err
		}
		st.flops = lq*fq + ld*fd
	}
	if t.tg.sparse {
		st.nnzQ, st.nnzD, st.sparsity = t.tg.sparsity()
	}
	if err := check("total loss", st.total); err != nil {
		return st, err
	}
	vals, grads, err := paramData(t.tg.params)
	if err != nil {
		return st, err
	}
	st.gradNorm = GlobalNorm(grads)
	if err := check("gradient norm", st.gradNorm); err != nil {
		return st, err
	}
	st.lr = c.lrAt(step)
	if t.opts.DumpBatches != "" {
		if err := t.dumpStep(step, b, st, lq, ld); err != nil {
			return st, err
		}
	}
	t.opt.Update(vals, grads, st.lr, ClipScale(st.gradNorm, c.ClipNorm)) // the clipping happens here
	return st, nil
}

// after logs, validates and checkpoints after step.
func (t *trainer) after(step int, st stepStats, res *Result, win *rateWindow) error {
	c, sched := t.c, t.schedule()
	row := MetricsRow{Step: step}
	if sched.logs(step) {
		// The next window starts after this step's validation and saving:
		// examples/s measures training alone.
		defer win.restart()
		rate := win.rate(c.BatchSize)
		row.Loss, row.LR, row.GradNorm, row.ExamplesPerS = num(st.total), num(st.lr), num(st.gradNorm), num(rate)
		switch c.Loss {
		case "marginmse":
			row.LossMarginMSE = num(st.rank)
		case "kldiv":
			row.LossKL = num(st.rank)
		case "pairwise-ce":
			row.LossPairwise = num(st.rank)
		case "pointwise-bce":
			row.LossPointwise = num(st.rank)
		}
		if t.tg.hasFLOPS {
			row.LossFLOPS = num(st.flops)
		}
		if t.tg.sparse {
			row.AvgNNZQ, row.AvgNNZD, row.Sparsity = num(st.nnzQ), num(st.nnzD), num(st.sparsity)
		}
		if !t.opts.Console.Terminal() {
			t.log.Info("train", zap.Int("step", step), zap.Int("of", c.Steps), zap.Float64("loss", st.total),
				zap.Float64("lr", st.lr), zap.Float64("grad_norm", st.gradNorm), zap.Float64("examples_per_s", rate))
		}
	}
	var metric *checkpoints.Metric
	improved := false
	if sched.validates(step) {
		v, err := t.validate()
		if err != nil {
			return err
		}
		res.Val = v
		row.setVal(v)
		metric = t.metricOf(v, step)
		improved = better(metric, t.best)
		t.log.Info("validation", append(valFields(step, v), zap.Bool("best", improved))...)
	}
	if sched.logs(step) {
		if err := t.mlog.write(row); err != nil {
			return err
		}
	}
	if !sched.saves(step, improved) {
		return nil
	}
	if improved {
		t.best = metric
	}
	_, err := t.save(step, metric, improved)
	return err
}

// resumeDiff lists the settings of cur that differ from the checkpoint's
// prev, ignoring those a resumed run may change: the output folder, the
// number of steps, the bookkeeping intervals and the best metric, the
// paths of the labels, texts and tokenizer (whose content the caller checks
// by hash) and InitFrom (the weights come from the checkpoint).
func resumeDiff(prev, cur Config) string {
	for _, c := range []*Config{&prev, &cur} {
		c.Out, c.Steps, c.EvalEvery, c.SaveEvery, c.KeepLast, c.LogEvery, c.BestMetric = "", 0, 0, 0, 0, 0, ""
		c.Labels, c.Queries, c.Corpus, c.Tokenizer, c.InitFrom = "", "", "", "", ""
		if c.LRSchedule == "" { // configs written before lr_schedule existed
			c.LRSchedule = "linear"
		}
	}
	return fieldDiffs(prev, cur)
}

// fieldDiffs lists the fields of two structs of one type that differ, as
// "yaml_key old → new", joined by commas; "" when they are equal.
func fieldDiffs(prev, cur any) string {
	var diffs []string
	pv, cv := reflect.ValueOf(prev), reflect.ValueOf(cur)
	for i := range pv.NumField() {
		if a, b := pv.Field(i).Interface(), cv.Field(i).Interface(); !reflect.DeepEqual(a, b) {
			diffs = append(diffs, fmt.Sprintf("%s %v → %v", yamlKey(pv.Type().Field(i)), a, b))
		}
	}
	return strings.Join(diffs, ", ")
}

// blasField names the matrix-product kernels a run trains on and the CPUs
// they use (a log field), since they set its speed: OpenBLAS with the
// openblas build tag, else the pure-Go build's own.
func blasField() zap.Field {
	return zap.String("blas", fmt.Sprintf("%s (%s), %d threads", nn.BLAS, nn.BLASCore, runtime.GOMAXPROCS(0)))
}
