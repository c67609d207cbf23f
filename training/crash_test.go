package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/internal/killpoint"
	"github.com/distill-ml/distill/labels"
	"github.com/distill-ml/distill/student"
)

// trainChildEnv makes the test binary a training process (TestMain): the
// variable holds the Config as JSON. Crash tests run it with
// DISTILL_KILL_AT so that it dies by SIGKILL at a named point.
const trainChildEnv = "DISTILL_TEST_TRAIN_CHILD"

func trainChild(spec string) int {
	var c Config
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	if _, err := Train(context.Background(), c, Options{Resume: true}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// trainKilled runs c in a child process that is killed with SIGKILL at
// killAt (killpoint syntax, NAME#N); it fails the test unless the child died
// there.
func trainKilled(t *testing.T, c Config, killAt string) {
	t.Helper()
	spec, _ := json.Marshal(c)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), trainChildEnv+"="+string(spec), killpoint.Env+"="+killAt)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ProcessState.String() != "signal: killed" {
		t.Fatalf("child training was not killed at %s: %v\n%s", killAt, err, out)
	}
}

// crashConfig is a 12-step run validating every 2 steps by validation loss.
func crashConfig(f *fixture, out string) Config {
	c := tinyConfig(f, student.KindColBERT, out)
	c.Steps, c.BatchSize, c.WarmupSteps, c.ValFraction = 12, 4, 2, 0.1
	c.EvalEvery, c.SaveEvery, c.KeepLast, c.LogEvery, c.BestMetric = 2, 4, 2, 2, "loss"
	return c
}

func bestStep(t *testing.T, out string) int {
	t.Helper()
	st, err := checkpoints.ReadTrainerState(filepath.Join(out, checkpoints.BestDir))
	if errors.Is(err, os.ErrNotExist) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return st.Step
}

// TestResumeRepairsBestAfterKill (issue 10, case 1): killed after step N's
// checkpoint is written but before best/ is updated, the resumed run makes
// best/ hold step N, the best its state records, creating best/ when the
// kill came before the first one.
func TestResumeRepairsBestAfterKill(t *testing.T) {
	f := getFixture(t)
	for _, nth := range []int{1, 2} {
		t.Run(fmt.Sprintf("improvement-%d", nth), func(t *testing.T) {
			c := crashConfig(f, t.TempDir())
			trainKilled(t, c, fmt.Sprintf("before-best#%d", nth))
			latest, ok, err := checkpoints.Latest(c.Out)
			if err != nil || !ok {
				t.Fatalf("no checkpoint after the kill: %v", err)
			}
			ck, err := checkpoints.Load(latest)
			if err != nil {
				t.Fatal(err)
			}
			n := ck.Trainer.Step
			if ck.Trainer.BestMetric == nil || ck.Trainer.BestMetric.Step != n {
				t.Fatalf("killed at step %d whose state's best is %+v", n, ck.Trainer.BestMetric)
			}
			before := bestStep(t, c.Out)
			if nth == 1 && before != -1 || nth == 2 && (before < 0 || before >= n) {
				t.Fatalf("kill #%d at step %d left best/ at step %d", nth, n, before)
			}
			// Resume with nothing left to train: only the repair can fix best/.
			c.Steps = n
			res := train(t, c, Options{Resume: true})
			if res.Best == nil || res.Best.Step != n {
				t.Fatalf("resumed run reports best %+v, want step %d", res.Best, n)
			}
			if got := bestStep(t, c.Out); got != n {
				t.Fatalf("best/ holds step %d after resuming, the run's best is step %d", got, n)
			}
			weightsEqual(t, filepath.Join(c.Out, checkpoints.BestDir), latest)
		})
	}
}

func stepFolders(t *testing.T, out string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(out, "step-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func tempLeftovers(t *testing.T, out string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(out, ".*tmp-*"))
	o, _ := filepath.Glob(filepath.Join(out, ".*old-*"))
	return append(m, o...)
}

// TestResumeFinishesRotationAndCleansTemp (issue 10, case 9): a kill between
// writing the final checkpoint and rotating leaves keep-last+1 step folders,
// and a kill while last is rewritten leaves its temp file; resuming honours
// keep-last and removes the temp files, whatever is left to train.
func TestResumeFinishesRotationAndCleansTemp(t *testing.T) {
	f := getFixture(t)
	for _, tc := range []struct{ name, killAt string }{
		{"after-final-checkpoint", "checkpoint-saved#4"}, // step 8, the last
		{"while-writing-last", "rename:last#4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := crashConfig(f, t.TempDir())
			c.Steps, c.SaveEvery, c.EvalEvery, c.KeepLast = 8, 2, 0, 3
			c.ValFraction = 0 // no validation: checkpoints at steps 2, 4, 6, 8 only
			trainKilled(t, c, tc.killAt)
			if n := len(stepFolders(t, c.Out)); n != 4 {
				t.Fatalf("%d step folders after the kill, want keep-last 3 + 1", n)
			}
			train(t, c, Options{Resume: true})
			if got := stepFolders(t, c.Out); len(got) != 3 || !strings.HasSuffix(got[2], "step-000008") {
				t.Errorf("after resuming: %v, want the last 3 up to step 8", got)
			}
			if left := tempLeftovers(t, c.Out); len(left) > 0 {
				t.Errorf("temp files left after resuming: %v", left)
			}
		})
	}
}

// TestTrainLocksRunFolder (issue 10, case 2): a second training on a run
// folder in use fails at once naming the folder and the holder, and leaves
// the folder as it was.
func TestTrainLocksRunFolder(t *testing.T) {
	f := getFixture(t)
	c := crashConfig(f, t.TempDir())
	lock, err := fsutil.LockDir(c.Out) // another run holding the folder
	if err != nil {
		t.Fatal(err)
	}
	_, err = Train(context.Background(), c, Options{})
	if !errors.Is(err, fsutil.ErrLocked) || !strings.Contains(err.Error(), c.Out) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("Train on a locked folder: %v, want ErrLocked naming %s and pid %d", err, c.Out, os.Getpid())
	}
	entries, _ := os.ReadDir(c.Out)
	if len(entries) != 1 || entries[0].Name() != fsutil.LockFile {
		t.Errorf("the refused run wrote into the folder: %v", entries)
	}
	lock.Unlock()
	c.Steps = 0
	train(t, c, Options{})
}

// TestInfiniteValidationLossKeepsCheckpoints (issue 10, case 3): teacher
// scores so large that the held-out margins overflow float32 make the
// validation loss +Inf; that is never taken as the best, and the
// checkpoints are written (before, writing trainer_state.json failed with
// "json: unsupported value: +Inf" and every step since the last checkpoint
// was lost).
func TestInfiniteValidationLossKeepsCheckpoints(t *testing.T) {
	f := getFixture(t)
	c := crashConfig(f, t.TempDir())
	c.Steps, c.EvalEvery, c.SaveEvery = 4, 2, 2
	rows, prov, err := labels.ReadDir(f.labels)
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, r := range rows {
		if datasets.InSplit(r.QueryID, c.Seed, c.ValFraction) {
			held++
			for i := range r.Scores {
				r.Scores[i] = float32(3e38 * float64(1-2*(i%2))) // finite; their differences are not
			}
		}
	}
	if held == 0 {
		t.Fatal("no held-out query")
	}
	c.Labels = filepath.Join(t.TempDir(), "labels")
	os.MkdirAll(c.Labels, 0o755)
	e, err := labels.WritePart(filepath.Join(c.Labels, "part-00000.arrow"), rows, prov)
	if err != nil {
		t.Fatal(err)
	}
	e.Path = "part-00000.arrow"
	if err := labels.WriteManifest(c.Labels, &labels.Manifest{Provenance: prov, Files: []labels.FileEntry{e}}); err != nil {
		t.Fatal(err)
	}
	res := train(t, c, Options{})
	if !math.IsInf(res.Val.Loss, 1) || res.Best != nil && math.IsInf(res.Best.Value, 0) {
		t.Fatalf("validation loss %v, best %+v: want +Inf and no infinite best", res.Val.Loss, res.Best)
	}
	ck, err := checkpoints.Load(filepath.Join(c.Out, "step-000004"))
	if err != nil {
		t.Fatal(err)
	}
	if m := ck.Trainer.Metric; m == nil || !math.IsInf(m.Value, 1) {
		t.Errorf("step 4's metric %+v, want the +Inf validation loss recorded", m)
	}
}
