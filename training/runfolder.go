package training

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/killpoint"
)

// ErrRunExists is matched (errors.Is) by every RunFolderError: Out holds
// checkpoints, or files of another run, and Options.Resume does not apply.
var ErrRunExists = errors.New("training: the run folder is taken")

// RunFolderError says why a run cannot start in its folder. Resume and
// Force say which Options would let it: Options.Resume continues the run
// found there (or, for a run stopped before its first checkpoint, starts it
// over); Options.Force trains into the folder anyway.
type RunFolderError struct {
	Dir    string // the run folder, or the checkpoint found in it
	Holds  string // what it holds, e.g. "checkpoints"
	Resume bool
	Force  bool
}

func (e *RunFolderError) Error() string { return fmt.Sprintf("training: %s holds %s", e.Dir, e.Holds) }

// Is reports whether target is ErrRunExists.
func (e *RunFolderError) Is(target error) bool { return target == ErrRunExists }

// runFolder is the bookkeeping of a run folder that Train and Pretrain
// share: the latest checkpoint and the best validation so far, resuming
// from the latest checkpoint, and writing a step's checkpoint with best/
// and rotation in an order that a kill at any moment leaves resumable.
type runFolder struct {
	dir      string
	keepLast int
	log      *zap.Logger
	last     string              // the latest checkpoint folder, "" before the first
	lastStep int                 // its step (−1: none)
	best     *checkpoints.Metric // the best validation so far
}

func newRunFolder(dir string, keepLast int, log *zap.Logger) runFolder {
	if log == nil {
		log = zap.NewNop()
	}
	return runFolder{dir: dir, keepLast: keepLast, log: log, lastStep: -1}
}

// latest returns the checkpoint a run resumes from, or nil for a fresh run
// (checked by fresh, when set). A folder with checkpoints is a
// RunFolderError unless resume. The checkpoint must hold the optimizer
// state and the tokenizer tokRaw; the caller checks the rest (check), and
// then the checkpoint becomes the latest, its best metric the best.
func (r *runFolder) latest(resume bool, tokRaw []byte, fresh func() error, check func(*checkpoints.Checkpoint) error) (*checkpoints.Checkpoint, error) {
	if _, err := checkpoints.CleanTemp(r.dir); err != nil {
		return nil, err
	}
	dir, ok, err := checkpoints.Latest(r.dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		if fresh != nil {
			if err := fresh(); err != nil {
				return nil, err
			}
		}
		if resume {
			r.log.Info("nothing to resume: starting a new run", zap.String("out", r.dir))
		}
		return nil, nil
	}
	if !resume {
		return nil, &RunFolderError{Dir: r.dir, Holds: "checkpoints (" + filepath.Base(dir) + ")", Resume: true}
	}
	ck, err := checkpoints.Load(dir)
	if err != nil {
		return nil, err
	}
	if err := check(ck); err != nil {
		return nil, fmt.Errorf("training: resume %s: %w", dir, err)
	}
	if ck.Optimizer == nil {
		return nil, fmt.Errorf("training: resume %s: the checkpoint has no optimizer state", dir)
	}
	if sha := sha256Hex(tokRaw); ck.Config.TokenizerSHA256 != sha && ck.Config.TokenizerSHA256 != sha256Hex(portableTokenizer(tokRaw)) {
		return nil, fmt.Errorf("training: resume %s: the tokenizer's sha256 %s differs from the checkpoint's %s", dir, sha, ck.Config.TokenizerSHA256)
	}
	r.log.Info("resuming", zap.String("checkpoint", dir), zap.Int("step", ck.Trainer.Step))
	r.last, r.lastStep, r.best = dir, ck.Trainer.Step, ck.Trainer.BestMetric
	// Finish what a kill interrupted: best/ and rotation.
	if err := r.repairBest(ck); err != nil {
		return nil, err
	}
	if _, err := checkpoints.Rotate(r.dir, r.keepLast); err != nil {
		return nil, err
	}
	return ck, nil
}

// write saves ck as the latest checkpoint (last names it), makes it best/
// when improved, then rotates old ones. A kill at any point leaves a state
// that resuming completes: last names a complete checkpoint, whose
// trainer_state.json names the best step, and repairBest makes best/ match.
func (r *runFolder) write(ck *checkpoints.Checkpoint, improved bool) (string, error) {
	dir, err := checkpoints.Save(r.dir, ck)
	if err != nil {
		return "", err
	}
	r.last, r.lastStep = dir, ck.Trainer.Step
	killpoint.Reach("checkpoint-saved")
	if improved {
		killpoint.Reach("before-best")
		if err := checkpoints.MarkBest(r.dir, dir); err != nil {
			return dir, err
		}
		killpoint.Reach("best-marked")
	}
	if _, err := checkpoints.Rotate(r.dir, r.keepLast); err != nil {
		return dir, err
	}
	r.log.Info("checkpoint", zap.String("dir", dir), zap.Int("step", ck.Trainer.Step), zap.Bool("best", improved))
	return dir, nil
}

// repairBest makes best/ the checkpoint that the resumed checkpoint's
// trainer_state.json names as best, when a kill came between writing a
// checkpoint and updating best/ (or best/ was damaged): best/ then holds an
// older step, or is missing. The best step's folder is always on disk in
// that case (it is the latest checkpoint, rotated only after best/ is
// updated).
func (r *runFolder) repairBest(ck *checkpoints.Checkpoint) error {
	b := ck.Trainer.BestMetric
	if b == nil {
		return nil
	}
	best := filepath.Join(r.dir, checkpoints.BestDir)
	held := -1
	if st, err := checkpoints.ReadTrainerState(best); err == nil {
		if _, err := checkpoints.Verify(best); err == nil {
			held = st.Step
		}
	}
	if held == b.Step {
		return nil
	}
	src := filepath.Join(r.dir, checkpoints.StepDir(b.Step))
	if _, err := os.Stat(filepath.Join(src, checkpoints.ManifestFile)); err != nil {
		r.log.Warn("best/ does not hold the best step and that step's checkpoint is gone; best/ is left as it is",
			zap.Int("best_step", b.Step), zap.Int("best_dir_step", held))
		return nil
	}
	r.log.Info("repairing best/", zap.Int("best_step", b.Step), zap.Int("was", held))
	return checkpoints.MarkBest(r.dir, src)
}

// schedule says what a run does after a step: log a metrics row, validate,
// save a checkpoint, stop.
type schedule struct {
	steps, logEvery, evalEvery, saveEvery, stopAt int
	hasVal                                        bool // there is held-out data to validate on
}

func (s schedule) validates(step int) bool {
	return s.hasVal && ((s.evalEvery > 0 && step%s.evalEvery == 0) || step == s.steps)
}

func (s schedule) logs(step int) bool {
	return step%s.logEvery == 0 || step == s.steps || s.validates(step)
}

func (s schedule) saves(step int, improved bool) bool {
	return step%s.saveEvery == 0 || step == s.steps || step == s.stopAt || improved
}

// stops reports whether the run stops after step although steps remain
// (Options.StopAt).
func (s schedule) stops(step int) bool { return step == s.stopAt && step < s.steps }

// loop runs the steps start+1 … s.steps, calling step for each (the
// update, then its logging, validation and saving). When ctx is cancelled
// it saves the steps done since the last checkpoint (save) and returns an
// error naming the checkpoint; after s.stopAt it stops. what names the run
// in errors ("" for training, "pretraining ").
func (r *runFolder) loop(ctx context.Context, start int, s schedule, bar *progressBar, what string,
	step func(int) error, save func(int) error) error {
	defer bar.finish()
	for n := start + 1; n <= s.steps; n++ {
		if err := ctx.Err(); err != nil {
			if n-1 > start && r.lastStep != n-1 {
				if serr := save(n - 1); serr != nil {
					return serr
				}
			}
			return fmt.Errorf("training: %sinterrupted after step %d (checkpoint %s): %w", what, n-1, r.last, err)
		}
		if err := step(n); err != nil {
			return err
		}
		if s.stops(n) {
			r.log.Info("stopped as asked", zap.Int("step", n), zap.String("checkpoint", r.last))
			return nil
		}
	}
	return nil
}

// rateWindow measures examples per second of training between log rows,
// validation and saving left out.
type rateWindow struct {
	start time.Time
	steps int
}

// rate returns the examples/s since the window began and begins a new one.
func (w *rateWindow) rate(batchSize int) float64 {
	r := float64(w.steps*batchSize) / time.Since(w.start).Seconds()
	w.restart()
	return r
}

// restart begins a new window (after validation and saving).
func (w *rateWindow) restart() { w.start, w.steps = time.Now(), 0 }
