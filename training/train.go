package training

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/internal/progress"
	"github.com/distill-ml/distill/ranker"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/tokenizer"
)

// Options are the run-time settings of Train that are not part of the
// recorded Config.
type Options struct {
	Log *zap.Logger // nil: no logs
	// Console draws the training and validation bars (nil: none); off a
	// terminal, "train" log lines and periodic validation lines instead.
	Console *progress.Console
	// Resume continues from the run folder's latest checkpoint (a fresh run
	// when there is none). Without it a run folder with checkpoints is refused.
	Resume bool
	// StopAt ends the run after this step with a checkpoint, as a scheduled
	// interruption; the schedule still spans Config.Steps. 0: no stop.
	StopAt int
	// DumpBatches, when set, is a folder that receives the initial weights
	// and every step's batch (see dump.go), for replaying a fresh run in
	// another implementation. A debugging aid: keep --steps small.
	DumpBatches string
	// OutLocked says the caller already holds the run folder's lock
	// (fsutil.LockDir), as teacher finetune does while it writes its
	// candidates there; otherwise Train takes it.
	OutLocked bool
	// Force trains into an --out folder that holds files of no run of
	// distill's, or another run's config.yaml and metrics.jsonl without a
	// checkpoint (replacing those two); without it such a folder is refused.
	Force bool
	// OwnFiles names the files and folders the caller itself wrote into the
	// run folder before Train (teacher finetune's candidates, the weak
	// phase's pseudo-queries): they do not make the folder foreign.
	OwnFiles []string
}

// Result summarises a finished (or stopped) run.
type Result struct {
	Step          int    // steps done
	Checkpoint    string // the last checkpoint written
	Loss          float64
	Val           ValResult // the last validation (NaN fields when none)
	Best          *checkpoints.Metric
	TrainExamples int
	ValQueries    int
	Resumed       int // the step resumed from (0 for a fresh run)
}

// NonFiniteError stops a run whose loss or gradient became NaN or ±Inf.
// The parameters of that step are not updated and nothing is saved, so the
// run's last checkpoint stays as it was.
type NonFiniteError struct {
	Step  int
	Term  string // e.g. "marginmse loss", "FLOPS (documents)", "gradient norm"
	Value float64
	Last  string // the last checkpoint, "" when none
}

func (e *NonFiniteError) Error() string {
	keep := "no checkpoint was written"
	if e.Last != "" {
		keep = "the last checkpoint " + e.Last + " is kept"
	}
	return fmt.Sprintf("training: step %d: the %s is %v; stopping (%s; lower lr or check the labels)", e.Step, e.Term, e.Value, keep)
}

// trainer is one run's state.
type trainer struct {
	runFolder
	c      Config
	opts   Options
	tokRaw []byte
	enc    *ranker.Encoder
	sc     student.Config
	data   *Data
	ord    *order
	tg     *trainGraph
	opt    *AdamW
	mlog   *metricsLog
	bar    *progressBar
	stall  stallDetector
}

// Train runs (or resumes) the training c describes and returns its result.
// It stops cleanly when ctx is cancelled, saving a checkpoint of the steps
// done.
func Train(ctx context.Context, c Config, opts Options) (*Result, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if !opts.OutLocked {
		lock, err := fsutil.LockDir(c.Out)
		if err != nil {
			return nil, fmt.Errorf("training: %w", err)
		}
		defer lock.Unlock()
	}
	t := &trainer{runFolder: newRunFolder(c.Out, c.KeepLast, opts.Log), c: c, opts: opts}
	start, ck, err := t.setup()
	if err != nil {
		return nil, err
	}
	defer t.mlog.Close()
	res := &Result{Step: start, Resumed: start, TrainExamples: len(t.data.Train), ValQueries: len(t.data.Val),
		Val: ValResult{Loss: nan, MRR10: nan, KendallTau: nan}, Best: t.best, Checkpoint: t.last}
	if ck == nil {
		if err := t.baseline(res); err != nil {
			return res, err
		}
		if c.Steps == 0 {
			return res, nil
		}
		if opts.DumpBatches != "" {
			if err := t.dumpStart(); err != nil {
				return res, err
			}
		}
	} else if opts.DumpBatches != "" {
		return res, fmt.Errorf("training: dump batches: only a fresh run can be dumped (%s resumes from step %d)", c.Out, start)
	}
	err = t.loop(ctx, start, res)
	res.Best, res.Checkpoint = t.best, t.last
	if err == nil {
		t.reportBest()
	}
	return res, err
}

// setup loads the tokenizer, the data and the model, and restores a
// checkpoint when resuming. It returns the step to continue from.
func (t *trainer) setup() (int, *checkpoints.Checkpoint, error) {
	c := t.c
	tok, err := tokenizer.Load(c.Tokenizer)
	if err != nil {
		return 0, nil, err
	}
	if t.tokRaw, err = os.ReadFile(c.Tokenizer); err != nil {
		return 0, nil, err
	}
	if t.enc, err = ranker.NewEncoder(tok, c.Arch, c.MaxQueryLength, c.MaxDocLength); err != nil {
		return 0, nil, err
	}
	if t.sc, err = studentConfig(c, tok); err != nil {
		return 0, nil, err
	}
	if t.data, err = LoadData(c, t.enc); err != nil {
		return 0, nil, err
	}
	t.log.Info("data", zap.Int("train_queries", t.data.TrainQueries), zap.Int("train_examples", len(t.data.Train)),
		zap.Int("val_queries", len(t.data.Val)), zap.Int("val_triples", len(t.data.ValTriples)),
		zap.Int("skipped_queries", t.data.SkippedQueries))
	t.ord = &order{seed: c.Seed, n: len(t.data.Train)}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return 0, nil, fmt.Errorf("training: %w", err)
	}
	ck, err := t.resumePoint()
	if err != nil {
		return 0, nil, err
	}
	start := 0
	if ck != nil {
		start = ck.Trainer.Step
		if err := t.checkState(ck); err != nil {
			return 0, nil, err
		}
	}
	first := makeBatch(t.data, t.enc, examplesAt(t.data, t.ord, start, c.BatchSize))
	if t.tg, err = buildGraph(c, t.sc, first); err != nil {
		return 0, nil, err
	}
	t.newOptimizer()
	if err := t.restore(ck); err != nil {
		return 0, nil, err
	}
	if err := WriteConfigFile(filepath.Join(c.Out, "config.yaml"), c); err != nil {
		return 0, nil, err
	}
	keep := -1
	if ck != nil {
		keep = start
	}
	if t.mlog, err = openMetricsLog(filepath.Join(c.Out, MetricsFile), keep); err != nil {
		return 0, nil, err
	}
	n := 0
	for _, p := range t.tg.params {
		n += p.Node.Shape().TotalSize()
	}
	model := "student"
	if c.Arch == student.KindCrossEncoder {
		model = "cross-encoder"
	}
	t.log.Info(model, zap.String("arch", string(c.Arch)), zap.Int("parameters", n), zap.Int("layers", c.Layers),
		zap.Int("hidden", c.Hidden), zap.Int("start_step", start), zap.Int("steps", c.Steps), blasField())
	return start, ck, nil
}

// resumePoint returns the checkpoint to resume from, or nil for a fresh run.
func (t *trainer) resumePoint() (*checkpoints.Checkpoint, error) {
	return t.latest(t.opts.Resume, t.tokRaw, t.checkFresh, func(ck *checkpoints.Checkpoint) error {
		var mc modelConfig
		if err := json.Unmarshal(ck.Config.Model, &mc); err != nil {
			return err
		}
		// The judgements are compared by content where the checkpoint
		// recorded it (a moved qrels file resumes), else by path.
		if mc.QrelsSHA256 != "" || mc.Training.Qrels == "" {
			if mc.QrelsSHA256 != t.data.QrelsSHA256 {
				return fmt.Errorf("the judgements differ from the checkpoint's: qrels %q has sha256 %q, the checkpoint's (%q) %q",
					t.c.Qrels, t.data.QrelsSHA256, mc.Training.Qrels, mc.QrelsSHA256)
			}
			mc.Training.Qrels = t.c.Qrels
		}
		if diff := resumeDiff(mc.Training, t.c); diff != "" {
			return fmt.Errorf("the configuration differs from the checkpoint's: %s", diff)
		}
		if prov := provenanceJSON(t.data.Provenance); string(compactJSON(prov)) != string(compactJSON(ck.Config.Labels)) {
			return errors.New("the labels' provenance differs from the checkpoint's")
		}
		return nil
	})
}

// runFiles are the names a run folder holds besides step folders.
var runFiles = map[string]bool{"config.yaml": true, MetricsFile: true, checkpoints.BestDir: true, checkpoints.LastFile: true,
	fsutil.LockFile: true}

// checkFresh refuses to start a run in a folder that is not distill's: one
// with files no run writes, or the config.yaml and metrics.jsonl of a run
// stopped before its first checkpoint (which --resume may start over when
// the configuration is the same), unless Options.Force.
func (t *trainer) checkFresh() error {
	if t.opts.Force {
		return nil
	}
	entries, err := os.ReadDir(t.c.Out)
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	var foreign, previous []string
	for _, e := range entries {
		switch n := e.Name(); {
		case n == "config.yaml" || n == MetricsFile:
			previous = append(previous, n)
		// Hidden files (.gitignore, .DS_Store) do not make a folder
		// foreign. This is not a spelling of fsutil.IsTemp: latest ran
		// checkpoints.CleanTemp before calling checkFresh, so no temp of an
		// interrupted write is left to match.
		case runFiles[n] || slices.Contains(t.opts.OwnFiles, n) || strings.HasPrefix(n, "step-") || strings.HasPrefix(n, "."):
		default:
			foreign = append(foreign, n)
		}
	}
	if len(foreign) > 0 {
		return &RunFolderError{Dir: t.c.Out, Holds: strings.Join(foreign, ", ") + ": not a run folder of distill's", Force: true}
	}
	if len(previous) == 0 {
		return nil
	}
	if t.opts.Resume {
		prev, err := ReadConfigFile(filepath.Join(t.c.Out, "config.yaml"), DefaultConfig())
		if err == nil && resumeDiff(prev, t.c) == "" {
			return nil // the same run, stopped before its first checkpoint: start it over
		}
		diff := "unreadable"
		if err == nil {
			diff = resumeDiff(prev, t.c)
		}
		return &RunFolderError{Dir: t.c.Out, Holds: "the config.yaml of a run with another configuration (" + diff + ") and no checkpoint", Force: true}
	}
	return &RunFolderError{Dir: t.c.Out, Holds: strings.Join(previous, " and ") + " of another run but no checkpoint", Resume: true, Force: true}
}

func (t *trainer) newOptimizer() {
	c := t.c
	t.opt = NewAdamWFor(t.tg.params, c.AdamBeta1, c.AdamBeta2, c.AdamEps, c.WeightDecay)
}

// NewAdamWFor returns an AdamW over params that decays the matrices only
// (no decay for biases and LayerNorm).
func NewAdamWFor(params []student.Param, beta1, beta2, eps, weightDecay float64) *AdamW {
	var names []string
	var sizes []int
	var decay []bool
	for _, p := range params {
		names = append(names, p.Name)
		sizes = append(sizes, p.Node.Shape().TotalSize())
		decay = append(decay, p.Node.Dims() > 1)
	}
	return NewAdamW(names, sizes, decay, beta1, beta2, eps, weightDecay)
}

// restore loads the checkpoint's weights and moments, or the --init-from
// weights for a fresh run.
func (t *trainer) restore(ck *checkpoints.Checkpoint) error {
	if ck != nil {
		if _, err := t.tg.model.LoadWeights(ck.Weights, true); err != nil {
			return fmt.Errorf("training: resume: %w", err)
		}
		return t.opt.Restore(ck.Optimizer)
	}
	if t.c.InitFrom == "" {
		return nil
	}
	rep, err := InitFrom(t.tg.model, t.c.InitFrom)
	if err != nil {
		return err
	}
	t.log.Info("initialised from", zap.String("source", rep.Source), zap.Int("loaded", len(rep.Loaded)),
		zap.Int("missing", len(rep.Missing)), zap.Int("unused", len(rep.Unused)), zap.Int("skipped_shape", len(rep.Skipped)),
		zap.Strings("loaded_names", rep.Loaded), zap.Strings("missing_names", rep.Missing), zap.Strings("skipped", rep.Skipped))
	if len(rep.Loaded) == 0 {
		return fmt.Errorf("training: init-from %s: no tensor matches a parameter of the student", t.c.InitFrom)
	}
	return nil
}

// baseline validates the initial model and saves it when it was validated
// (it is then the first candidate for best/, as Hugging Face Trainer's
// eval_on_start makes step 0 one: a run whose training only makes the model
// worse keeps the untrained weights as best/, and says so at the end) or
// when --steps is 0.
func (t *trainer) baseline(res *Result) error {
	row := MetricsRow{Step: 0}
	if len(t.data.Val) > 0 {
		v, err := t.validate()
		if err != nil {
			return err
		}
		res.Val = v
		row.setVal(v)
		if m := t.metricOf(v, 0); better(m, nil) {
			t.best = m
		}
		t.log.Info("validation", append(valFields(0, v), zap.Bool("best", t.best != nil))...)
	}
	if err := t.mlog.write(row); err != nil {
		return err
	}
	if t.c.Steps == 0 || t.best != nil {
		dir, err := t.save(0, t.best, t.best != nil)
		if err != nil {
			return err
		}
		res.Checkpoint = dir
	}
	return nil
}

// reportBest says, at the end of a run that trained, when best/ is still
// the untrained model: no validation after step 0 beat it.
func (t *trainer) reportBest() {
	if t.best == nil || t.best.Step != 0 || t.c.Steps == 0 {
		return
	}
	t.log.Warn("best/ is the untrained checkpoint (step 0): no later validation beat it; training made the model worse on validation",
		zap.String("metric", t.best.Name), zap.Float64("value", t.best.Value))
}

// validate runs a validation with its own bar, the training bar paused.
func (t *trainer) validate() (ValResult, error) {
	d := t.data
	t.bar.pause()
	defer t.bar.resume()
	bar := t.opts.Console.Start("validation", 0, int64(len(d.Val)), "queries")
	defer bar.Discard()
	v, err := validate(t.tg.model, d.Val, d.ValTriples, d.Queries, d.Docs, d.Qrels, t.c.Loss, func() { bar.Add(1) })
	if t.c.Arch == student.KindCrossEncoder {
		v.KendallTau = nan // its labels are judgements, not a teacher's scores
	}
	return v, err
}

// valFields are the validation's log fields, leaving out what it could not
// measure (MRR@10 without qrels, Kendall τ without a teacher).
func valFields(step int, v ValResult) []zap.Field {
	fs := []zap.Field{zap.Int("step", step)}
	for _, f := range []struct {
		name string
		v    float64
	}{{"val_loss", v.Loss}, {"val_mrr10", v.MRR10}, {"val_kendall_tau", v.KendallTau}} {
		if !math.IsNaN(f.v) {
			fs = append(fs, zap.Float64(f.name, f.v))
		}
	}
	return fs
}

// metricOf returns the checkpoint metric of a validation, as
// Config.BestMetric chooses: MRR@10 or Kendall τ with the teacher (higher
// is better), or the validation loss (lower is better). Nil when the
// validation could not measure it.
func (t *trainer) metricOf(v ValResult, step int) *checkpoints.Metric {
	var m checkpoints.Metric
	switch t.c.bestMetric() {
	case "mrr10":
		m = checkpoints.Metric{Name: "MRR@10", Value: v.MRR10}
	case "kendall_tau":
		m = checkpoints.Metric{Name: "val_kendall_tau", Value: v.KendallTau}
	default:
		m = checkpoints.Metric{Name: "val_loss", Value: v.Loss}
	}
	if math.IsNaN(m.Value) {
		return nil // not measured
	}
	m.Step = step
	return &m
}

func better(a, b *checkpoints.Metric) bool {
	if a == nil || math.IsInf(a.Value, 0) { // an overflowed validation is never the best
		return false
	}
	if b == nil || b.Name != a.Name {
		return true
	}
	if a.Name == "val_loss" {
		return a.Value < b.Value
	}
	return a.Value > b.Value
}

// save writes the checkpoint of step (see runFolder.write).
func (t *trainer) save(step int, metric *checkpoints.Metric, improved bool) (string, error) {
	model, err := marshalModelConfig(t.sc, t.c, t.data.QrelsSHA256)
	if err != nil {
		return "", err
	}
	examples := int64(step) * int64(t.c.BatchSize)
	n := int64(len(t.data.Train))
	epoch := int(examples / n)
	return t.write(&checkpoints.Checkpoint{
		Config:    checkpoints.Config{Architecture: string(t.c.Arch), Model: model, Labels: provenanceJSON(t.data.Provenance), Seed: t.c.Seed},
		Weights:   student.Weights(t.tg.params),
		Tokenizer: portableTokenizer(t.tokRaw),
		Trainer: checkpoints.TrainerState{Step: step, Epoch: epoch, Cursor: examples % n, RNG: t.ord.state(epoch),
			Metric: metric, BestMetric: t.best},
		Optimizer: t.opt.State(student.Shapes(t.tg.params)),
	}, improved)
}

// checkState checks that a resumed checkpoint's data position is the one its
// step implies for this data (a hand-edited or foreign trainer_state.json
// would otherwise index outside the data).
func (t *trainer) checkState(ck *checkpoints.Checkpoint) error {
	ts := ck.Trainer
	examples := int64(ts.Step) * int64(t.c.BatchSize)
	n := int64(len(t.data.Train))
	if n == 0 {
		return nil
	}
	if want := int(examples / n); ts.Epoch != want || ts.Cursor != examples%n {
		return fmt.Errorf("training: resume %s: %s: epoch %d, cursor %d, but step %d of %d examples over %d training examples is epoch %d, cursor %d",
			ck.Dir, checkpoints.TrainerStateFile, ts.Epoch, ts.Cursor, ts.Step, t.c.BatchSize, n, want, examples%n)
	}
	return nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// compactJSON returns v re-encoded without insignificant space (keys of
// objects sorted), for comparing JSON documents.
func compactJSON(v json.RawMessage) []byte {
	if len(v) == 0 {
		return nil
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return v
	}
	b, _ := json.Marshal(x)
	return b
}
